using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Operations;
using Contree.Engine.Registry;
using Contree.Engine.Storage;

namespace Contree.Engine;

internal sealed partial class LocalContreeBackend
{
    public Task<string> ImportImageAsync(ImportImageMetadata request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Registry?.Url))
        {
            throw ContreeException.InvalidArgument("registry.url must not be empty");
        }

        if (request.Timeout <= 0 || request.Timeout > MaxTimeoutSeconds)
        {
            throw ContreeException.InvalidArgument($"timeout must be between 1 and {MaxTimeoutSeconds} seconds, got {request.Timeout}");
        }

        if (request.Tag is not null)
        {
            ValidateTag(request.Tag);
        }

        // The stored metadata is returned by GET /operations/{id}: never keep the registry password there.
        var stored = request with
        {
            Registry = request.Registry with { Credentials = new ImageCredentials { Username = request.Registry.Credentials.Username } },
        };
        var id = _queue.Enqueue(OperationKind.ImageImport, stored, (operationId, token) => RunImportAsync(operationId, request, token));
        return Task.FromResult(id);
    }

    private async Task<OperationOutcome> RunImportAsync(string operationId, ImportImageMetadata request, CancellationToken cancellationToken)
    {
        ImportedImage imported;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(request.Timeout));
            try
            {
                imported = await _importer.ImportAsync(request, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw ContreeException.Unavailable($"import of {request.Registry.Url} timed out after {request.Timeout} s");
            }
        }

        // ImportedImage lists layers bottom first; the engine keeps chains topmost first.
        var chain = imported.LayerIds.Reverse().Distinct(StringComparer.Ordinal).ToList();
        var uuid = Guid.NewGuid().ToString("D");
        if (chain.Count == 0)
        {
            var staging = _layers.CreateStagingDirectory();
            chain = [_layers.CommitStaged(staging)];
        }
        else if (chain.Count > _options.MaxLayerDepth)
        {
            chain = [Squash([.. chain.Select(_layers.GetDirectory)], uuid, cancellationToken)];
        }

        _images.Insert(new ImageRecord(
            Uuid: uuid,
            ParentUuid: null,
            Layers: chain,
            Tag: request.Tag,
            CreatedAt: Timestamps.Format(_time.GetUtcNow()),
            Command: null,
            OperationId: operationId,
            Origin: imported.Source,
            ManifestDigest: imported.ManifestDigest,
            Env: imported.Env,
            WorkingDir: imported.WorkingDir));
        LogImported(imported.Source, uuid, imported.LayerIds.Count);
        return new OperationOutcome(new OperationResult { Image = uuid, Tag = request.Tag });
    }
}
