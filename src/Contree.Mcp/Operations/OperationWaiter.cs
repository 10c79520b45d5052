using System.Collections.Concurrent;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Mcp.Rendering;
using Contree.Mcp.Results;

namespace Contree.Mcp.Operations;

/// <summary>
/// wait_operations (docs/tools.md): waits for several operations at once within one overall timeout. Operations still
/// running at the timeout are reported in timed_out and left running. With mode any, the first completion ends the
/// wait and the others are cancelled on the backend; each is then reported by its real state after the cancel's
/// bounded wait: cancelled (CANCELLED), completed (it ended otherwise first) or stopping (not stopped yet).
/// </summary>
internal sealed class OperationWaiter(OperationTracker tracker)
{
    public async Task<WaitOperationsResult> WaitAsync(IReadOnlyList<string> ids, TimeSpan timeout, bool any, CancellationToken cancellationToken = default)
    {
        var results = new ConcurrentDictionary<string, OperationView>(StringComparer.Ordinal);
        var outputBudget = OutputText.BudgetFor(ids.Count);
        var completed = new ConcurrentQueue<string>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task WaitOneAsync(string id)
        {
            try
            {
                if (await tracker.WaitAsync(id, timeout, stop.Token) is not { } response)
                {
                    return;
                }

                results[id] = OperationRenderer.Render(response, outputBudget);
            }
            catch (ContreeException e) when (e.Kind != ContreeErrorKind.Internal)
            {
                results[id] = new OperationView { OperationId = id, Error = e.Message };
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }

            completed.Enqueue(id);
            if (any)
            {
                await stop.CancelAsync();
            }
        }

        await Task.WhenAll(ids.Select(WaitOneAsync));
        cancellationToken.ThrowIfCancellationRequested();

        var cancelled = new List<string>();
        var stopping = new List<string>();
        var timedOut = new List<string>();
        var rest = ids.Where(id => !results.ContainsKey(id)).ToList();
        if (!any || completed.IsEmpty)
        {
            timedOut.AddRange(rest);
        }
        else
        {
            // All cancels at once: each waits (bounded) until its operation is terminal, so the whole step takes one bound.
            var outcomes = await Task.WhenAll(rest.Select(id => CancelOneAsync(id, cancellationToken)));
            foreach (var (id, after, error) in outcomes)
            {
                if (after is null)
                {
                    results[id] = new OperationView { OperationId = id, Error = error };
                    completed.Enqueue(id);
                    continue;
                }

                results[id] = OperationRenderer.Render(after, outputBudget);
                if (after.Status == OperationStatus.Cancelled)
                {
                    cancelled.Add(id);
                }
                else if (after.Status.IsTerminal())
                {
                    // It finished between the first completion and the cancel: report it as completed.
                    completed.Enqueue(id);
                }
                else
                {
                    stopping.Add(id);
                }
            }
        }

        return new WaitOperationsResult
        {
            Results = new Dictionary<string, OperationView>(results, StringComparer.Ordinal),
            Completed = [.. completed],
            Cancelled = cancelled,
            Stopping = stopping,
            TimedOut = timedOut,
        };
    }

    private async Task<(string Id, OperationResponse? After, string? Error)> CancelOneAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            return (id, await tracker.CancelAsync(id, cancellationToken), null);
        }
        catch (ContreeException e) when (e.Kind != ContreeErrorKind.Internal)
        {
            return (id, null, e.Message);
        }
    }
}
