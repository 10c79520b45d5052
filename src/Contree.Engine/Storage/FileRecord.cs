namespace Contree.Engine.Storage;

/// <summary>One row of the <c>files</c> table: uploaded content, stored as the blob <c>sha256:&lt;Sha256&gt;</c>.</summary>
internal sealed record FileRecord(string Uuid, string Sha256, long Size, string CreatedAt);
