namespace Contree.Server.Configuration;

/// <summary>
/// What the executable does: serve MCP (the default), serve the backend over the Contree /v1 API, or check what the
/// local engine needs (<c>doctor</c>, which takes the options of both).
/// </summary>
[Flags]
internal enum ServerCommand
{
    Serve = 1,
    Api = 2,
    Doctor = 4,
}
