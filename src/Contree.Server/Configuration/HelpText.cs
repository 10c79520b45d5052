using System.Text;

namespace Contree.Server.Configuration;

/// <summary>The --help text, generated from <see cref="SettingDefinitions"/> so it cannot drift from the parser.</summary>
internal static class HelpText
{
    public static string Render(string version)
    {
        var text = new StringBuilder();
        text.AppendLine($"contree-mcp {version}: MCP server giving AI agents isolated sandboxes (Contree cloud or the local engine)");
        text.AppendLine();
        text.AppendLine("Usage:");
        text.AppendLine("  contree-mcp [options]          serve MCP over stdio (default) or HTTP (--mode http)");
        text.AppendLine("  contree-mcp api [options]      serve the backend (normally the local engine) over the Contree /v1 HTTP API");
        text.AppendLine("  contree-mcp doctor [options]   check what the local engine needs on this machine (exit 1 when runs cannot work)");
        text.AppendLine("  contree-mcp --help | --version");
        text.AppendLine();
        text.AppendLine("Precedence: defaults < config file < environment variables < command-line options.");
        text.AppendLine($"Config file: ${SettingsLoader.ConfigEnvVar} or ~/.config/contree/mcp.ini (INI; top-level keys in [DEFAULT],");
        text.AppendLine("others in [http], [cache], [engine], [api]; ';' and '#' start comments; a missing file is ignored).");
        text.AppendLine("Cloud credentials also come from contree-cli profiles ($CONTREE_HOME/auth.ini, --profile) and from");
        text.AppendLine("CONTREE_TOKEN, CONTREE_URL, CONTREE_PROJECT, NEBIUS_API_KEY + NEBIUS_AI_PROJECT (see docs/configuration.md).");
        AppendGroup(text, "MCP server options", ServerCommand.Serve);
        AppendGroup(text, "Options of both commands", ServerCommand.Serve | ServerCommand.Api);
        AppendGroup(text, "Options of the api command", ServerCommand.Api);
        text.AppendLine();
        text.AppendLine("Exit codes: 0 success, 1 runtime failure, 2 invalid configuration or usage.");
        return text.ToString();
    }

    private static void AppendGroup(StringBuilder text, string title, ServerCommand commands)
    {
        text.AppendLine();
        text.AppendLine(title + ":");
        foreach (var definition in SettingDefinitions.All.Where(d => d.Commands == commands))
        {
            var value = definition.IsSwitch ? "[=true|false]" : " VALUE";
            text.AppendLine($"  {definition.Flag}{value}");
            text.AppendLine($"      {definition.Help}");
            text.AppendLine($"      [ENV: {definition.EnvVar}] [INI: {definition.IniLocation}] [default: {definition.DefaultText}]");
        }
    }
}
