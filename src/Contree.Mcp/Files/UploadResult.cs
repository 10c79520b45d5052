namespace Contree.Mcp.Files;

/// <summary>Result of <c>upload</c>: the uploaded file's UUID (for <c>run</c>'s <c>files</c>), content hash and size in bytes.</summary>
internal sealed record UploadResult(string Uuid, string Sha256, long Size);
