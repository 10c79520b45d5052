using Contree.Core.Models;

namespace Contree.Engine.Runtime;

/// <summary>What an <see cref="OutputCapture"/> kept of one stream: its head and tail in memory, the rest in a file.</summary>
internal sealed record CapturedOutput
{
    public static CapturedOutput Empty { get; } = new() { Head = [], Tail = [] };

    /// <summary>The first kept bytes (at most the view's head window).</summary>
    public required byte[] Head { get; init; }

    /// <summary>The last kept bytes after the head (at most the view's tail window).</summary>
    public required byte[] Tail { get; init; }

    /// <summary>Bytes kept in all (at most truncate_output_at).</summary>
    public long KeptBytes { get; init; }

    /// <summary>True when the command printed more than truncate_output_at bytes.</summary>
    public bool Truncated { get; init; }

    /// <summary>The file holding all <see cref="KeptBytes"/> when they did not fit in head and tail; else null.</summary>
    public string? SpillPath { get; init; }

    /// <summary>Largest number of bytes the capture held in memory at once.</summary>
    public long PeakBufferBytes { get; init; }

    /// <summary>Kept bytes between head and tail, present only in the spill file.</summary>
    public long OmittedBytes => KeptBytes - Head.Length - Tail.Length;

    /// <summary>The inline view the operation's result carries.</summary>
    public StreamPayload ToPayload() => StreamPayload.View(Head, Tail, OmittedBytes, Truncated);
}
