using System.Text.Json;
using Contree.Core.Json;
using Contree.Core.Models;
using Contree.Mcp.Rendering;
using Microsoft.Data.Sqlite;

namespace Contree.Mcp.Operations;

/// <summary>Terminal states: the bounded memory, the general-cache copy, and lineage recording.</summary>
internal sealed partial class OperationTracker
{
    private bool TryGetTerminal(string operationId, out OperationResponse response)
    {
        if (_terminal.TryGet(operationId, out response))
        {
            return true;
        }

        try
        {
            if (_cache.Get(CacheKind, operationId) is { } entry
                && JsonSerializer.Deserialize(entry.Data, ContreeJsonContext.Default.OperationResponse) is { } cached
                && cached.Status.IsTerminal())
            {
                response = _terminal.GetOrAdd(cached);
                return true;
            }
        }
        catch (Exception e) when (e is SqliteException or JsonException or IOException)
        {
            Log.CacheFailed(_logger, operationId, e.Message);
        }

        return false;
    }

    /// <summary>Sanitizes a fresh backend state; a terminal one is remembered (once) and its lineage recorded.</summary>
    private OperationResponse Observe(OperationResponse response)
    {
        var clean = OperationRenderer.Sanitize(response);
        if (!clean.Status.IsTerminal())
        {
            return clean;
        }

        if (_terminal.TryGet(clean.Uuid, out var known))
        {
            _started.TryRemove(clean.Uuid, out _);
            return known;
        }

        // Record lineage and persist BEFORE publishing the terminal state: whoever sees it (a waiter, a second
        // observer) must find the lineage already written. The writes are idempotent upserts, so two observers
        // racing here only write the same rows twice.
        try
        {
            // Lineage first: TryGetTerminal also reads the cache copy, so it must not appear before the lineage does.
            RecordLineage(clean);
            _cache.Put(CacheKind, clean.Uuid, JsonSerializer.Serialize(clean, ContreeJsonContext.Default.OperationResponse));
        }
        catch (Exception e) when (e is SqliteException or IOException)
        {
            Log.CacheFailed(_logger, clean.Uuid, e.Message);
        }

        var published = _terminal.GetOrAdd(clean);
        _started.TryRemove(clean.Uuid, out _);
        return published;
    }

    private void RecordLineage(OperationResponse operation)
    {
        if (operation.Status != OperationStatus.Success || operation.Result?.Image is not { Length: > 0 } resultImage)
        {
            return;
        }

        if (operation.Metadata is InstanceMetadata instance
            && !string.Equals(resultImage, instance.Image, StringComparison.OrdinalIgnoreCase))
        {
            var command = instance.Shell || instance.Args.Count == 0 ? instance.Command : instance.Command + " " + string.Join(' ', instance.Args);
            _lineage.RecordInstance(operation.Uuid, instance.Image, resultImage, command, instance.Result?.State.ExitCode ?? 0);
        }
        else if (operation.Metadata is ImportImageMetadata import)
        {
            _lineage.RecordImport(operation.Uuid, resultImage, import.Registry.Url, operation.Result.Tag ?? import.Tag);
        }
    }
}
