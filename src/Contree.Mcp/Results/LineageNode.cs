using System.Text.Json.Serialization;

namespace Contree.Mcp.Results;

/// <summary>One image in a lineage and the command (with its exit code) that produced it.</summary>
internal sealed record LineageNode(
    string Image,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Command,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? ExitCode);
