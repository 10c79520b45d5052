namespace Contree.Engine.Runtime;

/// <summary>
/// A file copied into the sandbox before the command starts. Missing parent directories are created; parents
/// that exist in the image keep the image's metadata.
/// </summary>
/// <param name="Path">Absolute path inside the sandbox.</param>
/// <param name="SourcePath">Host path of the content (a blob in the engine's store); only read.</param>
/// <param name="Mode">Permission bits (07777).</param>
internal sealed record InjectedFile(string Path, string SourcePath, int Mode, int Uid, int Gid);
