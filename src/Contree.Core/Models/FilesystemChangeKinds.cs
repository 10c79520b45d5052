namespace Contree.Core.Models;

/// <summary>The values of <see cref="FilesystemChange.Change"/>.</summary>
public static class FilesystemChangeKinds
{
    public const string Added = "added";
    public const string Modified = "modified";
    public const string Deleted = "deleted";
}
