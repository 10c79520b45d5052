namespace Contree.Server.IndexPage;

/// <summary>Everything the index page shows, read from the running MCP server.</summary>
internal sealed record IndexPageModel
{
    public required string Instructions { get; init; }

    public IReadOnlyList<IndexTool> Tools { get; init; } = [];

    /// <summary>Both the resource templates and the static resources.</summary>
    public IReadOnlyList<IndexResource> Resources { get; init; } = [];

    public IReadOnlyList<IndexPrompt> Prompts { get; init; } = [];

    public IReadOnlyList<IndexGuide> Guides { get; init; } = [];

    /// <summary>The HTTP port, interpolated into the setup snippets.</summary>
    public int Port { get; init; } = 9452;

    /// <summary>True when /mcp requires a bearer token; the snippets then show the header (never the token).</summary>
    public bool RequiresToken { get; init; }

    /// <summary>"local" or "cloud": the backend serving the tools.</summary>
    public string Backend { get; init; } = "local";

    public string Version { get; init; } = "";
}
