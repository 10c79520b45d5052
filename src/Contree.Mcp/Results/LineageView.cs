using System.Text.Json.Serialization;

namespace Contree.Mcp.Results;

/// <summary>
/// The lineage resource: parent, direct children and the ancestor chain (nearest first) of an image. Each node names
/// an image and the command that produced it (null for imports and images of unknown origin).
/// </summary>
internal sealed record LineageView(
    string Image,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] LineageNode? Parent,
    IReadOnlyList<LineageNode> Children,
    IReadOnlyList<LineageNode> Ancestors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] LineageRoot? Root,
    int Depth,
    bool IsKnown);
