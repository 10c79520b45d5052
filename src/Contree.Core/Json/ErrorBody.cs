namespace Contree.Core.Json;

/// <summary>The error body of the Contree API: <c>{"error": "&lt;message&gt;"}</c>.</summary>
public sealed record ErrorBody(string Error);
