using System.Globalization;
using System.Text;
using static Contree.Server.IndexPage.MarkdownRenderer;

namespace Contree.Server.IndexPage;

/// <summary>The Setup section: configuration and MCP client snippets true for this executable.</summary>
internal static partial class IndexPageRenderer
{
    private static void AppendSetup(StringBuilder html, IndexPageModel model)
    {
        var port = model.Port.ToString(CultureInfo.InvariantCulture);
        var url = $"http://localhost:{port}/mcp";
        var header = model.RequiresToken ? " --header \"Authorization: Bearer $CONTREE_MCP_HTTP_TOKEN\"" : "";
        var jsonHeaders = model.RequiresToken ? ", \"headers\": {\"Authorization\": \"Bearer <http token>\"}" : "";
        var tomlHeaders = model.RequiresToken ? "\nhttp_headers = { Authorization = \"Bearer <http token>\" }" : "";
        var start = $"contree-mcp --mode http --http-port {port}";
        var argsHeaders = model.RequiresToken ? ", \"--header\", \"Authorization: Bearer <http token>\"" : "";
        string Fill(string snippet) => snippet
            .Replace("@START@", start, StringComparison.Ordinal)
            .Replace("@URL@", url, StringComparison.Ordinal)
            .Replace("@HEADER@", header, StringComparison.Ordinal)
            .Replace("@JSON_HEADERS@", jsonHeaders, StringComparison.Ordinal)
            .Replace("@TOML_HEADERS@", tomlHeaders, StringComparison.Ordinal)
            .Replace("@ARGS_HEADERS@", argsHeaders, StringComparison.Ordinal);

        html.Append("<section id=\"setup\"><h2>Setup</h2>\n");
        Box(html, "Configuration", null, """
            contree-mcp is the NuGet tool package of that name: `dotnet dnx contree-mcp --yes` fetches and starts it (add `--add-source <folder>` for a package you packed yourself), `dotnet tool install -g contree-mcp` installs the `contree-mcp` command.
            By default it runs sandboxes on this machine with its embedded engine (bubblewrap, overlayfs, cgroups; root needed).
            To use the Contree cloud instead, store the token in the config file; MCP client configs then need no environment variables.
            """, """
            mkdir -p ~/.config/contree
            cat > ~/.config/contree/mcp.ini <<'INI'
            [DEFAULT]
            ; backend = local   ; or cloud (auto: cloud when a token is set)
            url = https://contree.dev/
            token = your-token-here
            INI
            # another file: export CONTREE_MCP_CONFIG=/path/to/config.ini
            # all options: contree-mcp --help
            """);
        var httpNote = model.RequiresToken
            ? "This server requires a bearer token on /mcp (CONTREE_MCP_HTTP_TOKEN); send it in the Authorization header."
            : "Start the server in HTTP mode first.";
        Tabs(html, Fill, "Claude Code",
            """
            claude mcp add --transport stdio contree -- dotnet dnx contree-mcp --yes
            # or in ~/.claude.json / .mcp.json:
            {"mcpServers": {"contree": {"type": "stdio", "command": "dotnet", "args": ["dnx", "contree-mcp", "--yes"],
              "env": {"CONTREE_MCP_CONFIG": "/path/to/config.ini"}}}}
            # installed once instead (dotnet tool install -g contree-mcp): "command": "contree-mcp", "args": []
            # verify
            claude mcp list
            """,
            """
            @START@
            claude mcp add --transport http contree @URL@@HEADER@
            # or in ~/.claude.json / .mcp.json:
            {"mcpServers": {"contree": {"type": "http", "url": "@URL@"@JSON_HEADERS@}}}
            """, httpNote);
        Tabs(html, Fill, "Codex CLI",
            """
            codex mcp add contree -- dotnet dnx contree-mcp --yes
            # or in ~/.codex/config.toml (the key is mcp_servers, with an underscore):
            [mcp_servers.contree]
            command = "dotnet"
            args = ["dnx", "contree-mcp", "--yes"]
            env = { CONTREE_MCP_CONFIG = "/path/to/config.ini" }
            """,
            """
            @START@
            # ~/.codex/config.toml
            [mcp_servers.contree]
            url = "@URL@"@TOML_HEADERS@
            """, httpNote);
        Tabs(html, Fill, "Claude Desktop",
            """
            # ~/Library/Application Support/Claude/claude_desktop_config.json (macOS)
            # %APPDATA%\Claude\claude_desktop_config.json (Windows), ~/.config/Claude/claude_desktop_config.json (Linux)
            {"mcpServers": {"contree": {"command": "dotnet", "args": ["dnx", "contree-mcp", "--yes"]}}}
            """,
            """
            @START@
            # Claude Desktop launches local commands only; bridge to HTTP with mcp-remote:
            {"mcpServers": {"contree": {"command": "npx", "args": ["-y", "mcp-remote", "@URL@"@ARGS_HEADERS@]}}}
            """, httpNote);
        Tabs(html, Fill, "OpenCode",
            """
            opencode mcp add    # interactive
            # or in ~/.config/opencode/opencode.json:
            {"mcp": {"contree": {"type": "local", "command": ["dotnet", "dnx", "contree-mcp", "--yes"], "enabled": true,
              "environment": {"CONTREE_MCP_CONFIG": "/path/to/config.ini"}}}}
            # verify
            opencode mcp list
            """,
            """
            @START@
            # ~/.config/opencode/opencode.json
            {"mcp": {"contree": {"type": "remote", "url": "@URL@", "enabled": true@JSON_HEADERS@}}}
            """, httpNote);
        html.Append("</section>\n");
    }

    private static void Box(StringBuilder html, string title, string? id, string note, string code)
    {
        html.Append("<div class=\"box\"").Append(id is null ? "" : $" id=\"{Escape(id)}\"").Append("><h3>").Append(Escape(title)).Append("</h3><p>")
            .Append(Escape(note.Trim())).Append("</p><div class=\"tab-content active\"><pre><code>").Append(Escape(code.TrimEnd()))
            .Append("</code></pre></div></div>\n");
    }

    private static void Tabs(StringBuilder html, Func<string, string> fill, string title, string stdio, string http, string httpNote)
    {
        stdio = fill(stdio);
        http = fill(http);
        html.Append("<div class=\"box\"><h3>").Append(Escape(title)).Append("</h3>")
            .Append("<div class=\"tabs\"><button class=\"tab active\" data-tab=\"stdio\">Stdio</button><button class=\"tab\" data-tab=\"http\">HTTP</button></div>")
            .Append("<div class=\"tab-content active\" data-tab=\"stdio\"><pre><code>").Append(Escape(stdio.TrimEnd())).Append("</code></pre></div>")
            .Append("<div class=\"tab-content\" data-tab=\"http\"><p>").Append(Escape(httpNote)).Append("</p><pre><code>")
            .Append(Escape(http.TrimEnd())).Append("</code></pre></div></div>\n");
    }
}
