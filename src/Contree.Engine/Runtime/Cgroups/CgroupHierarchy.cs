namespace Contree.Engine.Runtime.Cgroups;

/// <summary>One cgroup hierarchy the runtime uses: its directory for the engine's cgroup and the controllers it carries.</summary>
/// <param name="BaseDirectory">The engine's cgroup directory (<c>…/contree</c>) in this hierarchy.</param>
/// <param name="Controllers">Controllers of the hierarchy (v1: from the mount options; v2: from cgroup.controllers).</param>
internal sealed record CgroupHierarchy(string BaseDirectory, IReadOnlySet<string> Controllers)
{
    public bool Has(string controller) => Controllers.Contains(controller);
}
