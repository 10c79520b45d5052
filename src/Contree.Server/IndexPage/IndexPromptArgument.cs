namespace Contree.Server.IndexPage;

/// <summary>One argument of a prompt.</summary>
internal sealed record IndexPromptArgument(string Name, bool Required);
