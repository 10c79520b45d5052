using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Contree.Client.Tests;

/// <summary>Keeps every log line (message, structured values and exception text) at every level.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(";", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
        Lines.Enqueue($"{logLevel}: {formatter(state, exception)} | {values} | {exception}");
    }
}
