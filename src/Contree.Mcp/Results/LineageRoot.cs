using System.Text.Json.Serialization;

namespace Contree.Mcp.Results;

/// <summary>The topmost known ancestor; registry_url is set when it was imported through this server.</summary>
internal sealed record LineageRoot(
    string Image,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? RegistryUrl,
    bool IsImport);
