using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Core.Networking;
using Contree.Engine.Inspect;
using Contree.Engine.Operations;
using Contree.Engine.Runtime;
using Contree.Engine.Runtime.Network;
using Contree.Engine.Storage;

namespace Contree.Engine;

internal sealed partial class LocalContreeBackend
{
    public Task<string> SpawnInstanceAsync(InstanceMetadata request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var image = GetImageRecord(request.Image);
        var (stdin, files) = ValidateInstance(request);
        // The operation records the network the run really gets, so get_operation shows it.
        var networking = EffectiveNetworking(request.Networking);
        var stored = request with { Image = image.Uuid, Result = null, Networking = networking };
        var id = _queue.Enqueue(
            OperationKind.Instance,
            stored,
            (operationId, token) => RunInstanceAsync(operationId, stored, image, stdin, files, token));
        return Task.FromResult(id);
    }

    /// <summary>The network the run really gets: the operator's host network, the request's choice, or the default.</summary>
    private InstanceNetworking EffectiveNetworking(InstanceNetworking? requested)
    {
        if (requested?.AllowedHosts is not { } allowed)
        {
            return new InstanceNetworking { Enabled = _options.HostNetwork || (requested?.Enabled ?? _options.DefaultNetworkEnabled) };
        }

        if (_options.HostNetwork)
        {
            throw ContreeException.InvalidArgument("allowed_hosts cannot be enforced: this server gives every run the host's network (--engine-host-network); ask its operator, or leave allowed_hosts out");
        }

        return HostPatterns.Restrict(requested.Enabled, allowed);
    }

    /// <summary>What the run changed (<see cref="UpperChanges"/>); null, and logged, when the upper directory cannot be read.</summary>
    private (IReadOnlyList<FilesystemChange> Listed, int Total)? ChangesOf(string operationId, SandboxResult result, IReadOnlyList<string> lowerDirectories)
    {
        if (!result.FilesystemChanged)
        {
            return ([], 0);
        }

        try
        {
            return UpperChanges.Collect(result.UpperDirectory, lowerDirectories, InstanceResult.MaxFilesystemChanges);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ContreeException)
        {
            LogChangesUnreadable(exception, operationId);
            return null;
        }
    }

    /// <summary>Checks every field before anything is queued; errors name the field.</summary>
    private (byte[] Stdin, List<InjectedFile> Files) ValidateInstance(InstanceMetadata request)
    {
        if (string.IsNullOrWhiteSpace(request.Command))
        {
            throw ContreeException.InvalidArgument("command must not be empty");
        }

        if (request.Command.Contains('\0', StringComparison.Ordinal) || request.Args.Any(a => a.Contains('\0', StringComparison.Ordinal)))
        {
            throw ContreeException.InvalidArgument("command and args must not contain NUL characters");
        }

        if (request.Shell && request.Args.Count > 0)
        {
            throw ContreeException.InvalidArgument("args are only allowed when shell is false (with shell=true put them in command)");
        }

        if (!request.Cwd.StartsWith('/') || request.Cwd.Contains('\0', StringComparison.Ordinal))
        {
            throw ContreeException.InvalidArgument($"cwd must be an absolute path, got: '{request.Cwd}'");
        }

        if (request.Timeout <= 0 || request.Timeout > MaxTimeoutSeconds)
        {
            throw ContreeException.InvalidArgument($"timeout must be between 1 and {MaxTimeoutSeconds} seconds, got {request.Timeout}");
        }

        if (request.TruncateOutputAt <= 0 || request.TruncateOutputAt > MaxOutputBytes)
        {
            throw ContreeException.InvalidArgument($"truncate_output_at must be between 1 and {MaxOutputBytes} bytes, got {request.TruncateOutputAt}");
        }

        if (string.IsNullOrEmpty(request.Hostname) || request.Hostname.Length > 64 || request.Hostname.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '.')))
        {
            throw ContreeException.InvalidArgument($"hostname must be 1-64 letters, digits, '-' or '.', got: '{request.Hostname}'");
        }

        foreach (var (key, value) in request.Env)
        {
            if (key.Length == 0 || key.Contains('=', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
            {
                throw ContreeException.InvalidArgument($"env name must be non-empty without '=' or NUL, got: '{key}'");
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                throw ContreeException.InvalidArgument($"env value of {key} must not contain NUL characters");
            }
        }

        byte[] stdin;
        try
        {
            stdin = request.Stdin.ToBytes();
        }
        catch (FormatException)
        {
            throw ContreeException.InvalidArgument("stdin has encoding base64 but its value is not valid base64");
        }

        var files = new List<InjectedFile>();
        foreach (var (path, spec) in request.Files)
        {
            var field = $"files['{path}']";
            if (!path.StartsWith('/') || path.TrimEnd('/').Length == 0 || path.Contains('\0', StringComparison.Ordinal))
            {
                throw ContreeException.InvalidArgument($"{field}: the target must be an absolute file path");
            }

            var mode = spec.ParseMode() ?? throw ContreeException.InvalidArgument($"{field}: mode must be octal like 0644, got: '{spec.Mode}'");
            if (spec.Uid < 0 || spec.Gid < 0)
            {
                throw ContreeException.InvalidArgument($"{field}: uid and gid must not be negative");
            }

            var record = _files.GetByUuid(spec.Uuid) ?? throw ContreeException.InvalidArgument($"{field}: file {spec.Uuid} not found (upload it first)");
            var blob = _blobs.TryGetPathByHex(record.Sha256)
                ?? throw ContreeException.Internal($"{field}: the content of file {spec.Uuid} is missing from the store");
            files.Add(new InjectedFile(path, blob, mode, spec.Uid, spec.Gid));
        }

        return (stdin, files);
    }

    private async Task<OperationOutcome> RunInstanceAsync(
        string operationId, InstanceMetadata request, ImageRecord image, byte[] stdin, List<InjectedFile> files, CancellationToken cancellationToken)
    {
        var runDirectory = Path.Combine(_paths.Runs, operationId);
        Directory.CreateDirectory(runDirectory);
        var finished = false;
        var lowerDirectories = LayerDirectories(image);
        try
        {
            var result = await _runtime.RunAsync(
                new SandboxRequest
                {
                    RunId = operationId,
                    RunDirectory = runDirectory,
                    LowerDirectories = lowerDirectories,
                    Command = request.Command,
                    Args = request.Args,
                    Shell = request.Shell,
                    Env = BuildEnvironment(image.Env, request.Env),
                    Cwd = request.Cwd,
                    Hostname = request.Hostname,
                    Stdin = stdin,
                    Timeout = TimeSpan.FromSeconds(request.Timeout),
                    TruncateOutputAt = request.TruncateOutputAt,
                    StdoutSpillPath = _outputs.PathOf(operationId, OutputStream.Stdout),
                    StderrSpillPath = _outputs.PathOf(operationId, OutputStream.Stderr),
                    Files = files,
                    Limits = new SandboxLimits(_options.DefaultMemoryLimitBytes, _options.DefaultPidsLimit, _options.DefaultCpus),
                    Network = _options.HostNetwork ? SandboxNetwork.Host
                        : request.Networking is { Enabled: true } ? SandboxNetwork.Internet
                        : SandboxNetwork.None,
                    AllowedHosts = request.Networking?.AllowedHosts,
                    DiscardUpper = request.Disposable,
                    DiskLimitBytes = _options.DefaultDiskLimitBytes,
                },
                cancellationToken);

            // Read before the commit moves the upper directory away.
            var changes = ChangesOf(operationId, result, lowerDirectories);
            string? resultImage = null;
            if (!request.Disposable)
            {
                resultImage = result.FilesystemChanged
                    ? CommitRun(operationId, request, image, result.UpperDirectory, cancellationToken)
                    : image.Uuid;
            }

            var instanceResult = new InstanceResult
            {
                Resources = result.Resources,
                State = result.State,
                Stdout = result.Stdout.ToPayload(),
                Stderr = result.Stderr.ToPayload(),
                FilesystemChanges = changes?.Listed,
                FilesystemChangesTotal = changes?.Total,
            };
            finished = true;
            return new OperationOutcome(new OperationResult { Image = resultImage }, request with { Result = instanceResult });
        }
        finally
        {
            _runtime.DeleteRunDirectory(runDirectory);
            if (!finished)
            {
                // Cancelled or failed: no result refers to the output files.
                _outputs.Delete(operationId);
            }

            _outputs.PruneIfDue();
        }
    }

    /// <summary>
    /// Makes the run's upper the top layer of a new child image (O(1) rename), or, when the chain would exceed
    /// MaxLayerDepth, squashes upper + parent chain into one new base layer.
    /// </summary>
    private string CommitRun(string operationId, InstanceMetadata request, ImageRecord parent, string upper, CancellationToken cancellationToken)
    {
        var parentLayers = parent.Layers.Distinct(StringComparer.Ordinal).ToList();
        List<string> chain;
        if (parentLayers.Count + 1 > _options.MaxLayerDepth)
        {
            chain = [Squash([upper, .. parentLayers.Select(_layers.GetDirectory)], parent.Uuid, cancellationToken)];
        }
        else
        {
            chain = [_layers.CommitDirectory(upper), .. parentLayers];
        }

        var command = request.Shell || request.Args.Count == 0 ? request.Command : request.Command + " " + string.Join(' ', request.Args);
        var image = new ImageRecord(
            Uuid: Guid.NewGuid().ToString("D"),
            ParentUuid: parent.Uuid,
            Layers: chain,
            Tag: null,
            CreatedAt: Timestamps.Format(_time.GetUtcNow()),
            Command: command,
            OperationId: operationId,
            Origin: null,
            ManifestDigest: null,
            Env: parent.Env,
            WorkingDir: parent.WorkingDir);
        _images.Insert(image);
        return image.Uuid;
    }

    /// <summary>Materialises the merged view of <paramref name="directories"/> (topmost first) as one new layer.</summary>
    private string Squash(IReadOnlyList<string> directories, string imageUuid, CancellationToken cancellationToken)
    {
        var staging = _layers.CreateStagingDirectory();
        try
        {
            LayerSquasher.Squash(directories, Path.Combine(staging, "fs"), cancellationToken);
            var id = _layers.CommitStaged(staging);
            LogSquashed(directories.Count, imageUuid, id);
            return id;
        }
        catch
        {
            LayerStore.DeleteTree(staging);
            throw;
        }
    }

    /// <summary>The image config's environment (PATH defaulted) overlaid by the request's.</summary>
    private static Dictionary<string, string> BuildEnvironment(IReadOnlyList<string> imageEnv, IReadOnlyDictionary<string, string> requestEnv)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in imageEnv)
        {
            var split = entry.IndexOf('=', StringComparison.Ordinal);
            if (split > 0)
            {
                env[entry[..split]] = entry[(split + 1)..];
            }
        }

        env.TryAdd("PATH", DefaultPath);
        foreach (var (key, value) in requestEnv)
        {
            env[key] = value;
        }

        return env;
    }
}
