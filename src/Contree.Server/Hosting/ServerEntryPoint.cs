using Contree.Core.Errors;
using Contree.Server.Configuration;

namespace Contree.Server.Hosting;

/// <summary>
/// Entry point of <c>contree-mcp</c>: parse the command line, answer --help/--version, load and validate the
/// settings (exit code 2 with one clear line on stderr when they are wrong), then run the chosen command.
/// Nothing but JSON-RPC is ever written to stdout in stdio mode.
/// </summary>
internal static class ServerEntryPoint
{
    public const int RuntimeFailureExitCode = 1;

    public static async Task<int> RunAsync(string[] args)
    {
        ServerSettings settings;
        try
        {
            var commandLine = CommandLine.Parse(args);
            if (commandLine.Help)
            {
                await Console.Out.WriteAsync(HelpText.Render(ProductInfo.Version));
                return 0;
            }

            if (commandLine.Version)
            {
                await Console.Out.WriteLineAsync($"{ProductInfo.Name} {ProductInfo.Version}");
                return 0;
            }

            settings = SettingsLoader.Load(commandLine, Environment.GetEnvironmentVariable);
        }
        catch (SettingsException e)
        {
            await Console.Error.WriteLineAsync($"{ProductInfo.Name}: error: {e.Message}");
            return SettingsException.ExitCode;
        }

        try
        {
            return settings.Command == ServerCommand.Doctor
                ? await DoctorCommand.RunAsync(settings)
                : settings.Command == ServerCommand.Api
                ? await ApiCommand.RunAsync(settings)
                : settings.Mode == TransportMode.Http
                    ? await HttpTransportHost.RunAsync(settings)
                    : await StdioTransportHost.RunAsync(settings);
        }
        catch (ContreeException e)
        {
            // Startup failures of the backend (e.g. the engine cannot use its data directory) are safe to show.
            await Console.Error.WriteLineAsync($"{ProductInfo.Name}: error: {e.Message}");
            return RuntimeFailureExitCode;
        }
        catch (Exception e) when (IsAddressInUse(e))
        {
            var (listen, port, flag) = settings.Command == ServerCommand.Api
                ? (settings.Api.Listen, settings.Api.Port, "--port")
                : (settings.Http.Listen, settings.Http.Port, "--http-port");
            await Console.Error.WriteLineAsync(
                $"{ProductInfo.Name}: error: cannot listen on {listen}:{port}: the address is already in use; stop the other server or choose another port with {flag}");
            return RuntimeFailureExitCode;
        }
    }

    /// <summary>Kestrel wraps the bind failure (IOException, AddressInUseException); the socket error code says what it was.</summary>
    internal static bool IsAddressInUse(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
            {
                return true;
            }
        }

        return false;
    }
}
