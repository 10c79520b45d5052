namespace Contree.Server.IndexPage;

/// <summary>A prompt as listed on the index page, with its argument names (required ones marked by the renderer).</summary>
internal sealed record IndexPrompt(string Name, string Description, IReadOnlyList<IndexPromptArgument> Arguments);
