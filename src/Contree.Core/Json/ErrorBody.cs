namespace Contree.Core.Json;

/// <summary>The error body of the Contree API: <c>{"error": "&lt;message&gt;"}</c> (spec 1.5).</summary>
public sealed record ErrorBody(string Error);
