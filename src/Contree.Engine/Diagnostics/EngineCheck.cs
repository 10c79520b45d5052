namespace Contree.Engine.Diagnostics;

/// <summary>One line of <c>contree-mcp doctor</c>: what was checked, how it came out, what was found, and how to fix it.</summary>
public sealed record EngineCheck(string Name, EngineCheckStatus Status, string Detail, string? Fix = null);
