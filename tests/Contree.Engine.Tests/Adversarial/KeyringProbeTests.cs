using System.Diagnostics;
using System.Globalization;
using Contree.Engine.Runtime;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// The host-keyring attack: the test stores a secret in the host root's user keyring, then a run tries to read the key,
/// to link the keyring into its own session keyring and to search it. The seccomp filter refuses the calls (EPERM); with
/// the filter off the sandbox's identity, an unprivileged host id, still gets no access (EACCES); the host itself can.
/// </summary>
public sealed class KeyringProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>, IDisposable
{
    private const int Eperm = 1;
    private const int Eacces = 13;
    private readonly string _description = "contree-probe-" + Guid.NewGuid().ToString("N")[..12];
    private (long Key, long Ring)? _seeded;

    public static bool CanRun => HostRequirements.CanRunProbes;

    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("read")]
    [InlineData("link")]
    [InlineData("search")]
    public async Task Probe_HostRootKeyring_IsRefusedByTheFilter(string attack)
    {
        Assert.Equal(Eperm, await ProbeLayer.RunAsync(fixture, fixture.Runtime, Probe(attack)));
    }

    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("read")]
    [InlineData("link")]
    [InlineData("search")]
    public async Task Probe_HostRootKeyringWithoutFilter_IsRefusedByTheIdentity(string attack)
    {
        using var unfiltered = new BubblewrapRuntime(
            new RuntimeOptions { UseSeccomp = false, CgroupName = fixture.Options.CgroupName }, NullLogger<BubblewrapRuntime>.Instance);

        Assert.Equal(Eacces, await ProbeLayer.RunAsync(fixture, unfiltered, Probe(attack)));
    }

    /// <summary>The probes can tell: on the host, as root, the same calls work.</summary>
    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("read")]
    [InlineData("search")]
    public void Probe_OnTheHost_Works(string attack)
    {
        var probe = Probe(attack);

        Assert.Equal(probe + " 0", HostProbe(probe).Trim());
    }

    [Fact(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Sandbox_ProcKeys_ShowsNoHostKey()
    {
        _ = Probe("read");
        var request = fixture.Request("cat /proc/keys /proc/key-users 2>/dev/null; echo end") with { LowerDirectories = [ProbeLayer.Directory, fixture.Lower] };

        var result = await fixture.RunAsync(request);

        Assert.DoesNotContain(_description, SandboxFixture.Text(result.Stdout), StringComparison.Ordinal);
        Assert.EndsWith("end\n", SandboxFixture.Text(result.Stdout), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (_seeded is { } seeded)
        {
            HostProbe("drop_key", seeded.Key.ToString(CultureInfo.InvariantCulture));
        }
    }

    private string Probe(string attack)
    {
        var (key, ring) = _seeded ??= Seed();
        return attack switch
        {
            "read" => $"key_read:{key}",
            "link" => $"key_link:{ring}",
            _ => $"key_search:{ring}:{_description}",
        };
    }

    private (long Key, long Ring) Seed()
    {
        var serials = HostProbe("seed_key", _description, "host-secret-" + Guid.NewGuid().ToString("N")).Trim().Split(' ');
        return (long.Parse(serials[0], CultureInfo.InvariantCulture), long.Parse(serials[1], CultureInfo.InvariantCulture));
    }

    private static string HostProbe(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(ProbeLayer.Directory, "usr", "local", "bin", "syscall-probe"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"syscall-probe {string.Join(' ', arguments)} on the host exited {process.ExitCode}: {errors}");
        return output;
    }
}
