using System.Diagnostics;
using Contree.Engine.Runtime;
using Contree.Engine.Tests.Runtime;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// An image layer with the C probes of this folder, compiled statically by gcc once per test run, to stack on the
/// busybox layer: <c>/usr/local/bin/syscall-probe</c>.
/// </summary>
internal static class ProbeLayer
{
    private static readonly Lazy<string> Layer = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The layer directory (shared by all tests; never written to: runs see it through the overlay).</summary>
    public static string Directory => Layer.Value;

    /// <summary>Runs <c>syscall-probe &lt;probe&gt;</c> in a sandbox of <paramref name="runtime"/>; returns the errno it printed (0: the call worked).</summary>
    public static async Task<int> RunAsync(SandboxFixture fixture, BubblewrapRuntime runtime, string probe, bool hostNetwork = false)
    {
        var request = fixture.Request("syscall-probe " + probe) with { LowerDirectories = [Directory, fixture.Lower], Network = hostNetwork ? Contree.Engine.Runtime.Network.SandboxNetwork.Host : Contree.Engine.Runtime.Network.SandboxNetwork.None };
        var result = await runtime.RunAsync(request, TestContext.Current.CancellationToken);
        var output = SandboxFixture.Text(result.Stdout).Trim();
        Assert.True(result.State.ExitCode == 0 && output.StartsWith(probe + " ", StringComparison.Ordinal), $"exit {result.State.ExitCode}: '{output}' {SandboxFixture.Text(result.Stderr)}");
        return int.Parse(output[(probe.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Build()
    {
        var root = System.IO.Directory.CreateTempSubdirectory("contree-probes-").FullName;
        var bin = System.IO.Directory.CreateDirectory(Path.Combine(root, "usr", "local", "bin")).FullName;
        foreach (var source in System.IO.Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Adversarial"), "*.c"))
        {
            Compile(source, Path.Combine(bin, Path.GetFileNameWithoutExtension(source)));
        }

        Contree.Engine.Storage.StoreIdMigration.ShiftTree(root);
        return root;
    }

    private static void Compile(string source, string output)
    {
        var start = new ProcessStartInfo("/usr/bin/gcc") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-static", "-O2", "-Wall", "-Werror", "-o", output, source })
        {
            start.ArgumentList.Add(argument);
        }

        using var gcc = Process.Start(start)!;
        var errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        if (gcc.ExitCode != 0)
        {
            throw new InvalidOperationException($"gcc failed for {source}: {errors}");
        }
    }
}
