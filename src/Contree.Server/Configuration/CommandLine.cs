namespace Contree.Server.Configuration;

/// <summary>
/// Parses the command line: an optional command word (<c>api</c>, <c>doctor</c>), then <c>--flag value</c> or
/// <c>--flag=value</c> pairs from the settings table, plus <c>--help</c>/<c>-h</c> and <c>--version</c>.
/// Boolean switches may stand alone (true) or take <c>=true</c>/<c>=false</c>.
/// </summary>
internal sealed class CommandLine
{
    private CommandLine(ServerCommand command, bool help, bool version, IReadOnlyDictionary<string, SettingValue> values)
    {
        Command = command;
        Help = help;
        Version = version;
        Values = values;
    }

    public ServerCommand Command { get; }

    public bool Help { get; }

    public bool Version { get; }

    /// <summary>Values by canonical setting name.</summary>
    public IReadOnlyDictionary<string, SettingValue> Values { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        var command = ServerCommand.Serve;
        var start = 0;
        if (args.Count > 0 && args[0] is "api" or "doctor")
        {
            command = args[0] == "api" ? ServerCommand.Api : ServerCommand.Doctor;
            start = 1;
        }

        // doctor reads the engine's settings, which are options of both commands.
        var flagsOf = command == ServerCommand.Doctor ? ServerCommand.Serve | ServerCommand.Api : command;

        var help = false;
        var version = false;
        var values = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        for (var i = start; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h")
            {
                help = true;
                continue;
            }

            if (arg == "--version")
            {
                version = true;
                continue;
            }

            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                var hint = command == ServerCommand.Serve ? " (the commands are 'api' and 'doctor', and come first)" : "";
                throw new SettingsException($"unexpected argument '{arg}'{hint}; run 'contree-mcp --help' for usage");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals < 0 ? arg : arg[..equals];
            var definition = SettingDefinitions.FindByFlag(flag, flagsOf) ?? throw UnknownFlag(flag, command);
            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (definition.IsSwitch)
            {
                value = "true";
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw new SettingsException($"option {flag} needs a value: {definition.Help}");
            }

            if (!values.TryAdd(definition.Name, new SettingValue(value, $"command-line option {flag}")))
            {
                throw new SettingsException($"option {flag} is given more than once");
            }
        }

        return new CommandLine(command, help, version, values);
    }

    private static SettingsException UnknownFlag(string flag, ServerCommand command)
    {
        var other = command == ServerCommand.Serve ? ServerCommand.Api : ServerCommand.Serve;
        var where = SettingDefinitions.FindByFlag(flag, other) is null
            ? ""
            : command == ServerCommand.Serve ? " (it belongs to the 'api' command)" : " (it belongs to the MCP server, not the 'api' command)";
        return new SettingsException($"unknown option '{flag}'{where}; run 'contree-mcp --help' for usage");
    }
}
