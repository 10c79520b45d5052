namespace Contree.Mcp.Guides;

/// <summary>Result of <c>get_guide</c>: the section, its markdown and the sorted section names.</summary>
internal sealed record GuideResult(string Section, string Content, IReadOnlyList<string> AvailableSections);
