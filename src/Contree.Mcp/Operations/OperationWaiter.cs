using System.Collections.Concurrent;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Mcp.Rendering;
using Contree.Mcp.Results;

namespace Contree.Mcp.Operations;

/// <summary>
/// wait_operations (spec 2.13, fixing rough edge 36): waits for several operations at once within one overall
/// timeout. Operations still running at the timeout are reported in timed_out and left running; with mode any,
/// the first completion ends the wait and the others are cancelled on the backend and reported in cancelled.
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
            catch (ContreeException e)
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
        var timedOut = new List<string>();
        foreach (var id in ids.Where(id => !results.ContainsKey(id)))
        {
            if (!any || completed.IsEmpty)
            {
                timedOut.Add(id);
                continue;
            }

            try
            {
                var after = await tracker.CancelAsync(id, cancellationToken);
                if (after.Status.IsTerminal() && after.Status != OperationStatus.Cancelled)
                {
                    // It finished between the first completion and the cancel: report it as completed.
                    results[id] = OperationRenderer.Render(after, outputBudget);
                    completed.Enqueue(id);
                    continue;
                }
            }
            catch (ContreeException e)
            {
                results[id] = new OperationView { OperationId = id, Error = e.Message };
                completed.Enqueue(id);
                continue;
            }

            cancelled.Add(id);
        }

        return new WaitOperationsResult
        {
            Results = new Dictionary<string, OperationView>(results, StringComparer.Ordinal),
            Completed = [.. completed],
            Cancelled = cancelled,
            TimedOut = timedOut,
        };
    }
}
