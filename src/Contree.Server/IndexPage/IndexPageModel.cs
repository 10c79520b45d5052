namespace Contree.Server.IndexPage;

/// <summary>Everything the index page shows, read from the running MCP server (spec Appendix A.1).</summary>
internal sealed record IndexPageModel
{
    public required string Instructions { get; init; }

    public IReadOnlyList<IndexTool> Tools { get; init; } = [];

    /// <summary>Resource templates and static resources (rough edge 51: both are listed).</summary>
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
