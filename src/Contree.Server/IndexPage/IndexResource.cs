namespace Contree.Server.IndexPage;

/// <summary>A resource template (<see cref="IsTemplate"/>) or a static resource as listed on the index page.</summary>
internal sealed record IndexResource(string Name, string Uri, string Description, bool IsTemplate);
