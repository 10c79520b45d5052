namespace Contree.Mcp.Sync;

/// <summary>One file of a directory state: uploaded file UUID, absolute container path and permission bits (07777).</summary>
internal sealed record DirectoryStateFile(string FileUuid, string TargetPath, int Mode);
