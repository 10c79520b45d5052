namespace Contree.Engine.Runtime;

/// <summary>A host program a run needs: where the engine runs it, what it is, and the Debian package that has it.</summary>
internal sealed record RequiredProgram(string Path, string Name, string Package);
