using System.ComponentModel;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Core.Networking;
using Contree.Core.References;
using Contree.Mcp.Operations;
using Contree.Mcp.Rendering;
using Contree.Mcp.Results;
using Contree.Mcp.Sync;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tools;

/// <summary>The run tool (docs/tools.md): one command in a fresh sandbox started from an image.</summary>
[McpServerToolType]
internal sealed class RunTools(IContreeBackend backend, OperationTracker tracker, FileSyncCache fileSync)
{
    [McpServerTool(Name = "run", Title = "Run a command in a sandbox", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Run a command in a fresh sandbox started from an image.")]
    public async Task<OperationView> RunAsync(
        [Description("The command. With shell=true a shell expression run by /bin/sh -c; with shell=false the program to execute (arguments go in args).")] string command,
        [Description("Image to start from: a UUID or 'tag:<name>' (percent-encoded input is accepted).")] string image,
        [Description("True: command is a shell expression. False: command is executed directly with args.")] bool shell = true,
        [Description("Arguments for the program; used only when shell=false.")] List<string>? args = null,
        [Description("Environment variables, name → value. Prefer this over 'export' in the command.")] Dictionary<string, string>? env = null,
        [Description("Absolute working directory inside the sandbox.")] string cwd = "/root",
        [Description("Time limit in seconds (> 0); the command is killed at the limit and timed_out is set.")] int timeout = 30,
        [Description("True: filesystem changes are discarded. False: they are saved as a new image returned in result_image.")] bool disposable = true,
        [Description("Text fed to the command's standard input.")] string? stdin = null,
        [Description("Id returned by rsync: its synced files are placed at their destinations.")] long? directory_state_id = null,
        [Description("Uploaded files to place in the sandbox: {\"/container/path\": \"file-uuid\"} (key = destination, value = UUID from upload; one UUID may go to several paths).")] Dictionary<string, string>? files = null,
        [Description("True: wait until the operation finishes and return its result. False: return {operation_id} at once.")] bool wait = true,
        [Description("Bytes of stdout and of stderr kept (> 0; the local engine accepts up to 67108864); the rest is dropped and *_truncated is set. A result shows at most 1 MiB of each; all kept bytes are readable from stdout_resource/stderr_resource.")] long truncate_output_at = 8000,
        [Description("Hostname inside the sandbox.")] string hostname = "linuxkit",
        [Description("'internet': outbound access to public addresses with DNS (pip, apt, git clone, curl); private networks and the host stay unreachable. 'none': loopback only. Omitted: the server's default (local engine: --engine-network, internet unless configured).")] string? network = null,
        [Description("Only these hosts are reachable (implies network='internet'): host names ('pypi.org') and '*.domain' patterns ('*.pythonhosted.org' = every name below it). Other names do not resolve and connections to them are refused, also for programs that ignore proxy settings. Local engine only.")] List<string>? allowed_hosts = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(command))
        {
            throw ContreeException.InvalidArgument("command must not be empty");
        }

        if (timeout <= 0)
        {
            throw ContreeException.InvalidArgument($"timeout must be a positive number of seconds, got: {timeout}");
        }

        if (truncate_output_at <= 0)
        {
            throw ContreeException.InvalidArgument($"truncate_output_at must be a positive number of bytes, got: {truncate_output_at}");
        }

        if (!cwd.StartsWith('/'))
        {
            throw ContreeException.InvalidArgument($"cwd must be an absolute path, got: {cwd}");
        }

        var networking = network?.Trim().ToLowerInvariant() switch
        {
            null or "" => null,
            "internet" => new InstanceNetworking { Enabled = true },
            "none" => new InstanceNetworking { Enabled = false },
            _ => throw ContreeException.InvalidArgument($"network must be 'internet' or 'none', got: '{network}'"),
        };

        if (allowed_hosts is not null)
        {
            networking = HostPatterns.Restrict(networking?.Enabled ?? true, allowed_hosts);
        }

        if (shell && args is { Count: > 0 })
        {
            throw ContreeException.InvalidArgument("args is used only with shell=false; put the arguments into command or set shell=false");
        }

        var imageUuid = await backend.ResolveImageAsync(image, cancellationToken);
        var fileSpecs = BuildFiles(directory_state_id, files);
        var request = new InstanceMetadata
        {
            Command = command,
            Image = imageUuid,
            Hostname = string.IsNullOrWhiteSpace(hostname) ? "linuxkit" : hostname,
            Args = args ?? [],
            Shell = shell,
            Env = env ?? new Dictionary<string, string>(),
            Cwd = cwd,
            Disposable = disposable,
            Stdin = StreamPayload.FromText(stdin),
            Timeout = timeout,
            TruncateOutputAt = truncate_output_at,
            Files = fileSpecs,
            Networking = networking,
        };

        var operationId = await backend.SpawnInstanceAsync(request, cancellationToken);
        tracker.Track(operationId);
        if (!wait)
        {
            return new OperationView { OperationId = operationId };
        }

        return OperationRenderer.Render(await OperationWaiting.WaitOrCancelAsync(tracker, operationId, cancellationToken));
    }

    private Dictionary<string, InstanceFileSpec> BuildFiles(long? directoryStateId, Dictionary<string, string>? files)
    {
        var specs = new Dictionary<string, InstanceFileSpec>(StringComparer.Ordinal);
        if (directoryStateId is { } id and not 0)
        {
            var state = fileSync.GetDirectoryState(id) ?? throw ContreeException.NotFound($"Directory state not found: {id}");
            if (state.Files.Count == 0)
            {
                throw ContreeException.InvalidArgument($"Directory state has no files: {id}");
            }

            foreach (var file in state.Files)
            {
                specs[file.TargetPath] = new InstanceFileSpec { Uuid = file.FileUuid, Mode = "0" + Convert.ToString(file.Mode & 0xFFF, 8) };
            }
        }

        foreach (var (path, uuid) in files ?? new Dictionary<string, string>())
        {
            if (!path.StartsWith('/'))
            {
                throw ContreeException.InvalidArgument($"files keys must be absolute container paths, got: {path}");
            }

            if (string.IsNullOrWhiteSpace(uuid))
            {
                throw ContreeException.InvalidArgument($"files['{path}'] must be a file UUID returned by upload");
            }

            specs[path] = new InstanceFileSpec { Uuid = uuid.Trim(), Mode = "0644" };
        }

        return specs;
    }
}
