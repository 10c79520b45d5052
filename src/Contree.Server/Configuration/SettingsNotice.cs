namespace Contree.Server.Configuration;

/// <summary>
/// A message found while loading the settings, logged once the logger exists (the settings are read before it).
/// Never contains a token.
/// </summary>
internal sealed record SettingsNotice(LogLevel Level, string Message);
