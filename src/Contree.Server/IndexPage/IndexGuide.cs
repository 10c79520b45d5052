namespace Contree.Server.IndexPage;

/// <summary>A guide section: its resource URI (<c>contree://guide/&lt;name&gt;</c>) and markdown text.</summary>
internal sealed record IndexGuide(string Name, string Uri, string Markdown);
