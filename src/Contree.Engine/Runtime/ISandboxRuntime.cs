namespace Contree.Engine.Runtime;

/// <summary>
/// Runs one command in a fresh, isolated sandbox whose root is an overlay of read-only image layers and a
/// fresh writable upper directory.
/// </summary>
/// <remarks>
/// <para>Vocabulary. <b>Lower directories</b> are committed layers in overlayfs upper format (whiteout = char
/// device 0/0, opaque directory = xattr <c>user.overlay.opaque=y</c>), topmost first; they are never
/// written. The <b>run directory</b> is an empty directory the caller created on the same filesystem as the
/// layers; the runtime creates <c>upper</c> and <c>work</c> inside it, or, with a per-run disk limit, inside a
/// size-limited file system mounted at <c>disk</c> in it (<see cref="SandboxResult.UpperDirectory"/> says where).</para>
/// <para>Lifecycle. <see cref="RunAsync"/> mounts the overlay, injects files, starts the sandbox, captures
/// bounded output, enforces the timeout and limits, and before returning unmounts everything and removes
/// <c>work</c> and <c>merged</c>. The <c>upper</c> directory is left for the caller, who either commits it as a
/// new layer and then, on every path, hands the run directory to <see cref="DeleteRunDirectory"/>.</para>
/// <para>A command that fails, is killed or times out is a result, not an exception. Exceptions mean the
/// sandbox could not be set up (ContreeException) or the run was cancelled (OperationCanceledException, after
/// the sandbox was killed and cleaned up).</para>
/// </remarks>
internal interface ISandboxRuntime
{
    Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default);

    /// <summary>Unmounts the run's disk, if it has one, and deletes the run directory; missing is fine.</summary>
    void DeleteRunDirectory(string runDirectory);

    /// <summary>
    /// Removes what runs interrupted by a crash left behind: overlay mounts below <paramref name="runsDirectory"/>,
    /// every run cgroup below the engine's cgroup (with any cgroup a command made below it), and the run directories
    /// themselves. Called when the engine starts alone, with no run live.
    /// </summary>
    void CleanupStale(string runsDirectory);
}
