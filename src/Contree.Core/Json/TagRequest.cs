namespace Contree.Core.Json;

/// <summary>Body of PATCH /images/{uuid}/tag (E3).</summary>
public sealed record TagRequest(string Tag);
