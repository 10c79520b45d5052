namespace Contree.Bench;

/// <summary>A benchmark could not be set up or a measured call failed; the message names what and why.</summary>
internal sealed class BenchException(string message, Exception? inner = null) : Exception(message, inner);
