namespace Contree.Core.Models;

/// <summary>Response of POST /instances and POST /images/import: the operation id.</summary>
public sealed record InstanceSpawnResponse
{
    public string Uuid { get; set; } = "";
}
