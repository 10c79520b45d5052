using System.Text;
using Contree.Engine.Diagnostics;
using Contree.Server.Configuration;

namespace Contree.Server.Hosting;

/// <summary>
/// <c>contree-mcp doctor</c>: what the local engine needs from this machine and this account, as a table on stdout
/// (docs/install.md). Exit code 0 when the engine can run sandboxes here, 1 when a check failed.
/// </summary>
internal static class DoctorCommand
{
    public static async Task<int> RunAsync(ServerSettings settings)
    {
        var checks = EngineDiagnostics.Run(settings.Engine.DataDirectory, settings.Engine.EgressNamespace);
        await Console.Out.WriteAsync(Render(checks, Environment.IsPrivilegedProcess, settings.Backend));
        return checks.Any(static c => c.Status == EngineCheckStatus.Failed) ? ServerEntryPoint.RuntimeFailureExitCode : 0;
    }

    internal static string Render(IReadOnlyList<EngineCheck> checks, bool root, BackendKind backend)
    {
        var text = new StringBuilder();
        var failed = checks.Any(static c => c.Status == EngineCheckStatus.Failed);
        text.AppendLine($"{ProductInfo.Name} {ProductInfo.Version} doctor: the local engine on this machine, as {(root ? "root" : Environment.UserName)}");
        if (backend == BackendKind.Cloud)
        {
            text.AppendLine("backend: cloud (a token is configured, so the server uses the Contree service; these checks are for --backend local)");
        }

        text.AppendLine(failed
            ? "mode: none: runs are refused until the failed checks are fixed (the cloud backend needs none of this)"
            : "mode: root: sandboxes with their own user, mount, pid, network and cgroup namespaces");
        text.AppendLine();
        var width = checks.Max(static c => c.Name.Length);
        foreach (var check in checks)
        {
            var status = check.Status switch
            {
                EngineCheckStatus.Ok => "ok",
                EngineCheckStatus.Warning => "warn",
                _ => "FAILED",
            };
            text.Append(check.Name.PadRight(width)).Append("  ").Append(status.PadRight(6)).Append("  ").AppendLine(check.Detail);
            if (check.Fix is { } fix && check.Status != EngineCheckStatus.Ok)
            {
                text.Append(new string(' ', width + 10)).Append("fix: ").AppendLine(fix);
            }
        }

        return text.ToString();
    }
}
