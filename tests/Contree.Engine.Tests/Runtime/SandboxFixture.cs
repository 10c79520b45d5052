using System.Diagnostics;
using System.Text;
using Contree.Engine.Runtime;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Engine.Tests.Runtime;

/// <summary>
/// A busybox lower layer in a unique temp dir and a runtime with its own cgroup name, so CleanupStale in one test
/// class never touches another class's sandboxes.
/// </summary>
public sealed class SandboxFixture : IDisposable
{
    public SandboxFixture()
    {
        Root = Directory.CreateTempSubdirectory("contree-rt-").FullName;
        RunsDirectory = Path.Combine(Root, "data", "runs");
        Directory.CreateDirectory(RunsDirectory);
        Lower = Path.Combine(Root, "data", "layers", "busybox");
        if (HostRequirements.CanRunSandboxes)
        {
            BusyboxRootfs.Create(Lower);

            // As the store keeps image files: under the sandbox's host ids.
            Contree.Engine.Storage.StoreIdMigration.ShiftTree(Lower);
        }

        Options = new RuntimeOptions { CgroupName = "contree-test-" + Guid.NewGuid().ToString("N")[..12] };
        Runtime = new BubblewrapRuntime(Options, NullLogger<BubblewrapRuntime>.Instance);
    }

    public string Root { get; }

    public string RunsDirectory { get; }

    public string Lower { get; }

    internal RuntimeOptions Options { get; }

    internal BubblewrapRuntime Runtime { get; }

    internal SandboxRequest Request(string command, bool shell = true)
    {
        var runId = "run-" + Guid.NewGuid().ToString("N");
        var directory = Path.Combine(RunsDirectory, runId);
        Directory.CreateDirectory(directory);
        return new SandboxRequest
        {
            RunId = runId,
            RunDirectory = directory,
            LowerDirectories = [Lower],
            Command = command,
            Shell = shell,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    internal async Task<SandboxResult> RunAsync(SandboxRequest request)
    {
        var result = await Runtime.RunAsync(request, TestContext.Current.CancellationToken);
        Assert.False(LeftMountPoint(request), "the mount point must be removed");
        Assert.False(Directory.Exists(Path.Combine(request.RunDirectory, "work")), "work must be removed");
        return result;
    }

    internal static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    /// <summary>The kept output held in memory (head then tail), as text.</summary>
    internal static string Text(CapturedOutput output) => Encoding.UTF8.GetString([.. output.Head, .. output.Tail]);

    /// <summary>Runs a host tool and returns its stdout (used to inspect upper dirs the way an administrator would).</summary>
    internal static string Host(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    /// <summary>
    /// Whether the run's overlay is still mounted, or its mount point still exists. The run's disk (with a disk limit)
    /// stays mounted for the commit until <see cref="BubblewrapRuntime.DeleteRunDirectory"/>.
    /// </summary>
    internal bool LeftMountPoint(SandboxRequest request) =>
        MountsBelow(request.RunDirectory).Any(m => m != Path.Combine(request.RunDirectory, ScratchDisk.DirectoryName))
        || HasMountsBelow(Runtime.MountPointOf(request)) || Directory.Exists(Runtime.MountPointOf(request));

    internal bool HasMountsBelow(string directory) => MountsBelow(directory).Any();

    private static IEnumerable<string> MountsBelow(string directory) =>
        File.ReadLines("/proc/self/mountinfo").Select(static l => l.Split(' ')[4]).Where(m => m == directory || m.StartsWith(directory + "/", StringComparison.Ordinal));

    internal bool HasCgroup(string runId) =>
        Runtime.Cgroups.Hierarchies.Any(h => Directory.Exists(Path.Combine(h.BaseDirectory, runId)));

    public void Dispose()
    {
        if (HostRequirements.CanRunSandboxes)
        {
            Runtime.CleanupStale(RunsDirectory);
            foreach (var hierarchy in Runtime.Cgroups.Hierarchies)
            {
                if (Directory.Exists(hierarchy.BaseDirectory))
                {
                    Directory.Delete(hierarchy.BaseDirectory);
                }
            }
        }

        Runtime.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
