using System.Text.Json.Serialization;

namespace Contree.Mcp.Results;

/// <summary>An image as tools return it; tag is null when untagged.</summary>
internal sealed record ImageView(
    string Uuid,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Tag,
    string CreatedAt);
