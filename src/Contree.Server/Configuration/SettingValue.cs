namespace Contree.Server.Configuration;

/// <summary>A raw setting value and where it came from, e.g. "environment variable CONTREE_MCP_HTTP_PORT".</summary>
internal sealed record SettingValue(string Value, string Source);
