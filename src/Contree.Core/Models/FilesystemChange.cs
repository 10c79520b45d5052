namespace Contree.Core.Models;

/// <summary>One path a run changed, as seen against the image it started from.</summary>
/// <param name="Path">Absolute path inside the sandbox.</param>
/// <param name="Change"><c>added</c>, <c>modified</c> or <c>deleted</c> (<see cref="FilesystemChangeKinds"/>).</param>
/// <param name="Size">Bytes of a regular file that was added or modified; null otherwise.</param>
public sealed record FilesystemChange(string Path, string Change, long? Size = null);
