namespace Contree.Server.Configuration;

/// <summary>
/// The settings table (the original's settings plus the backend, engine and api settings of this port). Flags, environment
/// variables, ini keys, --help and docs/configuration.md all follow it.
/// </summary>
internal static class SettingDefinitions
{
    public const string Url = "url";
    public const string Token = "token";
    public const string Profile = "profile";
    public const string Project = "project";
    public const string AuthType = "auth_type";
    public const string Backend = "backend";
    public const string Mode = "mode";
    public const string LogLevel = "log_level";
    public const string DataDir = "data_dir";
    public const string ToolPrefix = "tool_prefix";
    public const string HttpListen = "http.listen";
    public const string HttpPort = "http.port";
    public const string HttpAllowedHosts = "http.allowed_hosts";
    public const string HttpToken = "http.token";
    public const string CacheFiles = "cache.files";
    public const string CacheGeneral = "cache.general";
    public const string CachePruneDays = "cache.prune_days";
    public const string EngineMaxConcurrentRuns = "engine.max_concurrent_runs";
    public const string EngineMemoryLimit = "engine.memory_limit";
    public const string EnginePidsLimit = "engine.pids_limit";
    public const string EngineCpus = "engine.cpus";
    public const string EngineDiskLimit = "engine.disk_limit";
    public const string EngineHostNetwork = "engine.host_network";
    public const string EngineNetwork = "engine.network";
    public const string EngineDeniedNetworks = "engine.denied_networks";
    public const string EngineEgressNamespace = "engine.egress_netns";
    public const string EngineInsecureRegistries = "engine.insecure_registries";
    public const string EngineOutputRetentionDays = "engine.output_retention_days";
    public const string ApiListen = "api.listen";
    public const string ApiPort = "api.port";
    public const string ApiToken = "api.token";
    public const string ApiRequireProject = "api.require_project";

    private const ServerCommand Both = ServerCommand.Serve | ServerCommand.Api;

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new(Url, "DEFAULT", "url", "--url", "CONTREE_MCP_URL", "https://contree.dev (jwt), https://api.tokenfactory.nebius.com/sandboxes (iam)",
            "Base URL of the Contree API (cloud backend); /v1 is appended. Also CONTREE_URL or the profile's url.", Both),
        new(Token, "DEFAULT", "token", "--token", "CONTREE_MCP_TOKEN", "(none)",
            "API token of the Contree service (cloud backend); also CONTREE_TOKEN, NEBIUS_API_KEY with NEBIUS_AI_PROJECT, or the profile's token. Secret: never printed. On the api command use an environment variable, mcp.ini or auth.ini.",
            ServerCommand.Serve, IsSecret: true),
        new(Profile, "DEFAULT", "profile", "--profile", "CONTREE_PROFILE", "the profile named in auth.ini, else default",
            "contree-cli profile of $CONTREE_HOME/auth.ini (cloud backend) that supplies token, url, type and project not set otherwise.", Both),
        new(Project, "DEFAULT", "project", "--project", "CONTREE_MCP_PROJECT", "(none)",
            "Project sent in the Project header with iam authentication (cloud backend); also CONTREE_PROJECT or the profile's project.", Both),
        new(AuthType, "DEFAULT", "auth_type", "--auth-type", "CONTREE_MCP_AUTH_TYPE", "jwt",
            "iam | jwt (cloud backend). iam: bearer token plus the Project header, default URL https://api.tokenfactory.nebius.com/sandboxes; jwt: bearer token only.",
            Both),
        new(Backend, "DEFAULT", "backend", "--backend", "CONTREE_MCP_BACKEND", "auto",
            "auto | cloud | local. auto: cloud when any source (flag, environment, mcp.ini, auth.ini profile) yields a token, else the local engine (api command: local).", Both),
        new(Mode, "DEFAULT", "mode", "--mode", "CONTREE_MCP_MODE", "stdio",
            "MCP transport: stdio | http.", ServerCommand.Serve),
        new(LogLevel, "DEFAULT", "log_level", "--log-level", "CONTREE_MCP_LOG_LEVEL", "warning (stdio), info (http, api)",
            "critical | error | warning (warn) | info | debug | trace (notset). Logs always go to stderr.", Both),
        new(DataDir, "DEFAULT", "data_dir", "--data-dir", "CONTREE_MCP_DATA_DIR", "$XDG_DATA_HOME/contree-mcp or ~/.local/share/contree-mcp",
            "Data directory of the local engine (images, layers, runs).", Both),
        new(ToolPrefix, "DEFAULT", "tool_prefix", "--tool-prefix", "CONTREE_MCP_TOOL_PREFIX", "contree_",
            "Prefix of every MCP tool name; letters, digits, '_', '-' and '.'; empty for the original names (run, list_images, ...).",
            ServerCommand.Serve),
        new(HttpListen, "http", "listen", "--http-listen", "CONTREE_MCP_HTTP_LISTEN", "127.0.0.1",
            "Address the HTTP transport binds to: an IP address or localhost.", ServerCommand.Serve),
        new(HttpPort, "http", "port", "--http-port", "CONTREE_MCP_HTTP_PORT", "9452",
            "Port of the HTTP transport (1-65535).", ServerCommand.Serve),
        new(HttpAllowedHosts, "http", "allowed_hosts", "--http-allowed-hosts", "CONTREE_MCP_HTTP_ALLOWED_HOSTS",
            "127.0.0.1, localhost, [::1] and the listen address",
            "Comma-separated host names accepted in the Host and Origin headers, or * for any. Required when listening on 0.0.0.0 or ::.",
            ServerCommand.Serve),
        new(HttpToken, "http", "token", "--http-token", "CONTREE_MCP_HTTP_TOKEN", "(none)",
            "When set, /mcp requires 'Authorization: Bearer <token>'. Secret: never printed.", ServerCommand.Serve, IsSecret: true),
        new(CacheFiles, "cache", "files", "--cache-files", "CONTREE_MCP_CACHE_FILES", "~/.cache/contree_mcp/files.db",
            "SQLite file-sync cache (rsync directory states).", ServerCommand.Serve),
        new(CacheGeneral, "cache", "general", "--cache-general", "CONTREE_MCP_CACHE_GENERAL", "~/.cache/contree_mcp/cache.db",
            "SQLite general cache (lineage, operations); registry credentials are kept next to it.", ServerCommand.Serve),
        new(CachePruneDays, "cache", "prune_days", "--cache-prune-days", "CONTREE_MCP_CACHE_PRUNE_DAYS", "60",
            "Days general-cache entries are kept; 0 keeps them forever.", ServerCommand.Serve),
        new(EngineMaxConcurrentRuns, "engine", "max_concurrent_runs", "--engine-max-concurrent-runs", "CONTREE_MCP_ENGINE_MAX_CONCURRENT_RUNS",
            "number of CPUs", "Local engine: operations that run at the same time (1-1024).", Both),
        new(EngineMemoryLimit, "engine", "memory_limit", "--engine-memory-limit", "CONTREE_MCP_ENGINE_MEMORY_LIMIT", "2g",
            "Local engine: memory limit per sandbox, bytes or with a k/m/g/t suffix (512m, 2g); 0 = unlimited.", Both),
        new(EnginePidsLimit, "engine", "pids_limit", "--engine-pids-limit", "CONTREE_MCP_ENGINE_PIDS_LIMIT", "1024",
            "Local engine: maximum processes per sandbox; 0 = unlimited.", Both),
        new(EngineCpus, "engine", "cpus", "--engine-cpus", "CONTREE_MCP_ENGINE_CPUS", "0",
            "Local engine: CPUs per sandbox, e.g. 1.5; 0 = unlimited.", Both),
        new(EngineDiskLimit, "engine", "disk_limit", "--engine-disk-limit", "CONTREE_MCP_ENGINE_DISK_LIMIT", "0",
            "Local engine: bytes a sandbox may write (k/m/g/t suffix), on a tmpfs that counts against its memory limit, with one inode per 8 KiB; 0 = no limit of its own.", Both),
        new(EngineHostNetwork, "engine", "host_network", "--engine-host-network", "CONTREE_MCP_ENGINE_HOST_NETWORK", "false",
            "Local engine: give every sandbox the host's whole network, loopback services included (true/false). Unsafe; overrides --engine-network.", Both, IsSwitch: true),
        new(EngineNetwork, "engine", "network", "--engine-network", "CONTREE_MCP_ENGINE_NETWORK", "internet",
            "Local engine: network of a run that does not ask: internet (public addresses and DNS, through slirp4netns) or none (loopback only).", Both),
        new(EngineDeniedNetworks, "engine", "denied_networks", "--engine-denied-networks", "CONTREE_MCP_ENGINE_DENIED_NETWORKS",
            "private, loopback, link-local, shared and reserved ranges",
            "Local engine: comma-separated CIDR ranges internet runs cannot reach (besides the host's own addresses); replaces the built-in list.", Both),
        new(EngineEgressNamespace, "engine", "egress_netns", "--engine-egress-netns", "CONTREE_MCP_ENGINE_EGRESS_NETNS", "(none)",
            "Local engine: ip-netns name of the network namespace whose network internet runs use (its /etc/netns/<name>/resolv.conf too); default the server's own.", Both),
        new(EngineInsecureRegistries, "engine", "insecure_registries", "--engine-insecure-registries", "CONTREE_MCP_ENGINE_INSECURE_REGISTRIES",
            "(none)", "Comma-separated registries (host[:port]) reached over plain HTTP although not on loopback.", Both),
        new(EngineOutputRetentionDays, "engine", "output_retention_days", "--engine-output-retention-days", "CONTREE_MCP_ENGINE_OUTPUT_RETENTION_DAYS", "7",
            "Local engine: days the whole output of a run longer than 1 MiB stays readable by range; then only its first and last 512 KiB remain. 0 keeps it forever.", Both),
        new(ApiListen, "api", "listen", "--listen", "CONTREE_MCP_API_LISTEN", "127.0.0.1",
            "api command: address the Contree /v1 API binds to; a non-loopback address requires a token.", ServerCommand.Api),
        new(ApiPort, "api", "port", "--port", "CONTREE_MCP_API_PORT", "9453",
            "api command: port of the Contree /v1 API (1-65535).", ServerCommand.Api),
        new(ApiToken, "api", "token", "--token", "CONTREE_MCP_API_TOKEN", "(none)",
            "api command: when set every request needs 'Authorization: Bearer <token>'. Secret: never printed.",
            ServerCommand.Api, IsSecret: true),
        new(ApiRequireProject, "api", "require_project", "--require-project", "CONTREE_MCP_API_REQUIRE_PROJECT", "(none)",
            "api command: when set every request needs the header 'Project: <value>' (403 otherwise); without it the header is accepted and ignored.",
            ServerCommand.Api),
    ];

    /// <summary>The setting a flag names on the command line of <paramref name="command"/>, or null.</summary>
    public static SettingDefinition? FindByFlag(string flag, ServerCommand command) =>
        All.FirstOrDefault(d => (d.Commands & command) != 0 && string.Equals(d.Flag, flag, StringComparison.Ordinal));

    /// <summary>The setting at an ini location (case-insensitive), or null.</summary>
    public static SettingDefinition? FindByIniKey(string section, string key) =>
        All.FirstOrDefault(d => string.Equals(d.Section, section, StringComparison.OrdinalIgnoreCase)
            && string.Equals(d.Key, key, StringComparison.OrdinalIgnoreCase));

    public static SettingDefinition Get(string name) => All.First(d => d.Name == name);
}
