namespace Contree.Mcp.Caches;

/// <summary>One row of the general cache; <see cref="Data"/> is a JSON object.</summary>
internal sealed record CacheEntry(long Id, string Kind, string Key, long? ParentId, string Data, string CreatedAt, string UpdatedAt);
