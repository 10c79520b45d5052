using System.Globalization;
using Contree.Core.Models;

namespace Contree.Mcp.Rendering;

/// <summary>The one-line advice a result carries when something other than the command itself ended it.</summary>
internal static class RunEndHint
{
    /// <summary>The hint for <paramref name="endedBy"/> (a <see cref="RunEnd"/> value), or null when there is nothing to advise.</summary>
    public static string? For(string endedBy, int timeoutSeconds) => endedBy switch
    {
        RunEnd.TimeLimit => string.Create(
            CultureInfo.InvariantCulture,
            $"Killed at its time limit of {timeoutSeconds} s: pass a larger timeout, or run with wait=false and collect the result later."),
        RunEnd.MemoryLimit =>
            "Killed by the kernel's OOM killer at the sandbox memory limit: use less memory (fewer parallel jobs, smaller inputs), or raise the limit (local engine: --engine-memory-limit).",
        RunEnd.PidsLimit =>
            "A fork failed at the sandbox process limit: start fewer processes or threads, or raise the limit (local engine: --engine-pids-limit).",
        RunEnd.Cancelled => "Cancelled before the command finished; nothing it changed was kept.",
        _ => null,
    };

    /// <summary>
    /// The hint for a run that failed the way a missing or refused network looks (name resolution, unreachable hosts),
    /// saying which network the run had; null when it did not fail or its output shows nothing of the kind.
    /// </summary>
    public static string? ForNetwork(InstanceMetadata instance, InstanceResult result)
    {
        if (instance.Networking is not { } networking)
        {
            return null;
        }

        var output = (result.Stderr.ToText() + "\n" + result.Stdout.ToText()).ToLowerInvariant();
        if (networking.AllowedHosts is { } allowed && output.Contains("allowed_hosts", StringComparison.Ordinal))
        {
            // The engine's own note in stderr (or a 403 of its proxy): also when the command carried on regardless.
            return $"The sandbox could reach only its allowed_hosts ({string.Join(", ", allowed)}); stderr names what was refused. Add the hosts the command needs ('name' or '*.domain'), or leave allowed_hosts out to reach every public host.";
        }

        if (result.State.ExitCode == 0)
        {
            return null;
        }

        if (!networking.Enabled && OfflineSigns.Any(output.Contains))
        {
            return "The sandbox had no network (network=\"none\"): run it again with network=\"internet\" to reach public addresses and DNS.";
        }

        return networking.Enabled && output.Contains("no route to host", StringComparison.Ordinal)
            ? "Sandboxes reach public addresses only: private, loopback and link-local ranges and the machine running the sandbox are refused (\"No route to host\"); local engine: --engine-denied-networks."
            : null;
    }

    /// <summary>How resolvers, pip, apt, curl, wget, git and language runtimes report a missing network.</summary>
    private static readonly string[] OfflineSigns =
    [
        "temporary failure in name resolution", "could not resolve", "name or service not known", "network is unreachable",
        "no address associated with hostname", "failed to establish a new connection", "nodename nor servname",
        "name resolution", "couldn't resolve host", "unable to resolve host", "bad address", "no servers could be reached",
    ];
}
