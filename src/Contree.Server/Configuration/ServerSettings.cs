
namespace Contree.Server.Configuration;

/// <summary>
/// The validated settings of one run of the executable. A class rather than a record so that no
/// generated ToString can print the tokens.
/// </summary>
internal sealed class ServerSettings
{
    public ServerCommand Command { get; init; } = ServerCommand.Serve;

    public string Url { get; init; } = "https://contree.dev";

    /// <summary>Token of the Contree service; empty for none. Never printed.</summary>
    public string Token { get; init; } = "";

    /// <summary>iam: the <see cref="Project"/> header goes with every request; jwt: the bearer token only.</summary>
    public CloudAuthType AuthType { get; init; } = CloudAuthType.Jwt;

    /// <summary>Project of iam authentication; empty for none (always empty with jwt).</summary>
    public string Project { get; init; } = "";

    /// <summary>What loading the settings found worth logging (sources used, unsafe file modes); never a token.</summary>
    public IReadOnlyList<SettingsNotice> Notices { get; init; } = [];

    /// <summary>The backend actually used: <see cref="BackendKind.Cloud"/> or <see cref="BackendKind.Local"/>.</summary>
    public BackendKind Backend { get; init; } = BackendKind.Local;

    public TransportMode Mode { get; init; } = TransportMode.Stdio;

    public LogLevel LogLevel { get; init; } = LogLevel.Warning;

    public string ToolPrefix { get; init; } = "contree_";

    public HttpSettings Http { get; init; } = new();

    public required CacheSettings Cache { get; init; }

    public required EngineSettings Engine { get; init; }

    public ApiSettings Api { get; init; } = new();
}
