namespace Contree.Server.Configuration;

/// <summary>
/// A usage error: a bad flag, a malformed ini line or an invalid value. The message names the option, its
/// source and the accepted values, never a secret. The executable prints it to stderr and exits with code 2.
/// </summary>
internal sealed class SettingsException(string message) : Exception(message)
{
    public const int ExitCode = 2;
}
