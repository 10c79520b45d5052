namespace Contree.Server.Configuration;

/// <summary>What the executable does: serve MCP (the default) or serve the backend over the Contree /v1 API.</summary>
[Flags]
internal enum ServerCommand
{
    Serve = 1,
    Api = 2,
}
