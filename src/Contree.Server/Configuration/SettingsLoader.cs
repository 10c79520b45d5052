using System.Net;
using static Contree.Server.Configuration.SettingDefinitions;

namespace Contree.Server.Configuration;

/// <summary>
/// Merges the layers (docs/configuration.md) and validates the result into <see cref="ServerSettings"/>: defaults &lt;
/// contree-cli's active auth.ini profile (cloud credentials only) &lt; mcp.ini &lt; CONTREE_TOKEN, CONTREE_URL,
/// CONTREE_PROJECT and the NEBIUS_API_KEY + NEBIUS_AI_PROJECT pair &lt; CONTREE_MCP_* and CONTREE_PROFILE &lt; flags,
/// field by field. Every problem is a <see cref="SettingsException"/>.
/// </summary>
internal static class SettingsLoader
{
    public const string ConfigEnvVar = "CONTREE_MCP_CONFIG";

    private static readonly Dictionary<string, BackendKind> Backends = new()
    {
        ["auto"] = BackendKind.Auto,
        ["cloud"] = BackendKind.Cloud,
        ["local"] = BackendKind.Local,
    };

    private static readonly Dictionary<string, bool> Networks = new()
    {
        ["internet"] = true,
        ["none"] = false,
    };

    private static readonly Dictionary<string, TransportMode> Modes = new()
    {
        ["stdio"] = TransportMode.Stdio,
        ["http"] = TransportMode.Http,
    };

    /// <summary>Loads the settings for <paramref name="commandLine"/>; <paramref name="environment"/> reads a variable.</summary>
    public static ServerSettings Load(CommandLine commandLine, Func<string, string?> environment)
    {
        var home = environment("HOME") is { Length: > 0 } h ? h : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var values = new Dictionary<string, SettingValue>(StringComparer.Ordinal);
        var notices = new List<SettingsNotice>();
        ReadIniFile(ConfigPath(environment, home), values, notices);
        CloudCredentials.ApplyContreeEnvironment(environment, values, notices);
        foreach (var definition in All)
        {
            if (environment(definition.EnvVar) is { } env)
            {
                values[definition.Name] = new SettingValue(env, $"environment variable {definition.EnvVar}");
            }
        }

        foreach (var (name, value) in commandLine.Values)
        {
            values[name] = value;
        }

        var requested = GetValue(values, Backend, BackendKind.Auto, (d, v) => SettingParsers.ParseEnum(d, v, Backends));
        var profile = UsesCloud(commandLine.Command, requested)
            ? CloudCredentials.ApplyProfile(values, AuthProfiles.DefaultPath(environment, home), notices)
            : null;
        return Bind(commandLine.Command, values, environment, home, notices, profile);
    }

    /// <summary>
    /// auth.ini is read only when the cloud backend may be chosen (auto means local for the api command, and doctor
    /// checks the local engine), so a broken profile file never stops the local engine.
    /// </summary>
    private static bool UsesCloud(ServerCommand command, BackendKind requested) =>
        requested == BackendKind.Cloud || (requested == BackendKind.Auto && command == ServerCommand.Serve);

    /// <summary>The ini file: <c>CONTREE_MCP_CONFIG</c> or <c>~/.config/contree/mcp.ini</c>.</summary>
    public static string ConfigPath(Func<string, string?> environment, string home) =>
        environment(ConfigEnvVar) is { Length: > 0 } path ? ExpandPath(path, home) : Path.Combine(home, ".config", "contree", "mcp.ini");

    private static void ReadIniFile(string path, Dictionary<string, SettingValue> values, List<SettingsNotice> notices)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            // A missing or unreadable config file is ignored.
            return;
        }

        foreach (var entry in IniFile.Parse(text, path))
        {
            var definition = FindByIniKey(entry.Section, entry.Key) ?? throw new SettingsException(
                $"{path}:{entry.Line}: unknown setting '{entry.Key}' in [{entry.Section}]; known: "
                + string.Join(", ", All.Select(d => d.IniLocation)));
            values[definition.Name] = new SettingValue(entry.Value, $"{path}:{entry.Line} {definition.IniLocation}");
        }

        var holdsToken = values.Any(v => SettingDefinitions.Get(v.Key).IsSecret && v.Value.Value.Trim().Length > 0);
        if (AuthProfiles.ReadableByOthersWarning(path, holdsToken) is { } warning)
        {
            notices.Add(warning);
        }
    }

    private static ServerSettings Bind(
        ServerCommand command, Dictionary<string, SettingValue> values, Func<string, string?> environment, string home, List<SettingsNotice> notices, AuthProfile? profile)
    {
        T Get<T>(string name, T fallback, Func<SettingDefinition, SettingValue, T> parse) => GetValue(values, name, fallback, parse);

        var token = Get(Token, "", SettingParsers.ParseToken);
        var authType = Get(AuthType, CloudAuthType.Jwt, (d, v) => SettingParsers.ParseEnum(d, v, CloudCredentials.AuthTypes));
        var url = Get(Url, CloudCredentials.DefaultUrl(authType), SettingParsers.ParseUrl);
        var project = Get(Project, "", SettingParsers.ParseProject);
        var requested = Get(Backend, BackendKind.Auto, (d, v) => SettingParsers.ParseEnum(d, v, Backends));
        var backend = requested switch
        {
            BackendKind.Auto when command == ServerCommand.Api => BackendKind.Local,
            BackendKind.Auto => token.Length > 0 ? BackendKind.Cloud : BackendKind.Local,
            _ => requested,
        };
        if (backend == BackendKind.Cloud && token.Length == 0)
        {
            throw new SettingsException(
                "the cloud backend needs a token: set --token, CONTREE_MCP_TOKEN, CONTREE_TOKEN, 'token' in [DEFAULT] of the config file, "
                + "or a contree-cli profile (contree auth; --profile), or use --backend local");
        }

        if (backend == BackendKind.Cloud)
        {
            notices.AddRange(CloudCredentials.Describe(values, authType, url, project, profile));
        }

        var mode = command == ServerCommand.Serve ? Get(Mode, TransportMode.Stdio, (d, v) => SettingParsers.ParseEnum(d, v, Modes)) : TransportMode.Http;
        var defaultLevel = command == ServerCommand.Serve && mode == TransportMode.Stdio ? Microsoft.Extensions.Logging.LogLevel.Warning : Microsoft.Extensions.Logging.LogLevel.Information;
        var xdg = environment("XDG_DATA_HOME") is { Length: > 0 } x && Path.IsPathRooted(x) ? x : Path.Combine(home, ".local", "share");
        var engine = new EngineSettings
        {
            DataDirectory = Get(DataDir, Path.Combine(xdg, "contree-mcp"), (d, v) => ParsePath(d, v, home)),
            MaxConcurrentRuns = Get(EngineMaxConcurrentRuns, Environment.ProcessorCount, (d, v) => SettingParsers.ParseInt(d, v, 1, 1024)),
            MemoryLimitBytes = Get<long?>(EngineMemoryLimit, null, (d, v) => SettingParsers.ParseSize(d, v)),
            PidsLimit = Get<int?>(EnginePidsLimit, null, (d, v) => SettingParsers.ParseInt(d, v, 0, 4_194_304)),
            Cpus = Get(EngineCpus, 0d, SettingParsers.ParseCpus),
            DiskLimitBytes = Get(EngineDiskLimit, 0L, SettingParsers.ParseDiskLimit),
            HostNetwork = Get(EngineHostNetwork, false, SettingParsers.ParseBool),
            NetworkEnabled = Get(EngineNetwork, true, (d, v) => SettingParsers.ParseEnum(d, v, Networks)),
            DeniedNetworks = Get<IReadOnlyList<System.Net.IPNetwork>?>(EngineDeniedNetworks, null, SettingParsers.ParseNetworkList),
            EgressNamespace = Get<string?>(EngineEgressNamespace, null, SettingParsers.ParseNamespaceName),
            InsecureRegistries = Get<IReadOnlyList<string>>(EngineInsecureRegistries, [], SettingParsers.ParseRegistryList),
            OutputRetentionDays = Get(EngineOutputRetentionDays, 7, (d, v) => SettingParsers.ParseInt(d, v, 0, 36500)),
        };
        var cacheDir = Path.Combine(home, ".cache", "contree_mcp");
        var cache = new CacheSettings
        {
            FilesPath = Get(CacheFiles, Path.Combine(cacheDir, "files.db"), (d, v) => ParsePath(d, v, home)),
            GeneralPath = Get(CacheGeneral, Path.Combine(cacheDir, "cache.db"), (d, v) => ParsePath(d, v, home)),
            PruneDays = Get(CachePruneDays, 60, (d, v) => SettingParsers.ParseInt(d, v, 0, 36500)),
        };

        return new ServerSettings
        {
            Command = command,
            Url = url,
            Token = token,
            AuthType = authType,
            Project = authType == CloudAuthType.Iam ? project : "",
            Backend = backend,
            Mode = mode,
            LogLevel = Get(SettingDefinitions.LogLevel, defaultLevel, (d, v) => SettingParsers.ParseEnum(d, v, SettingParsers.LogLevels)),
            ToolPrefix = Get(ToolPrefix, "contree_", SettingParsers.ParseToolPrefix),
            Http = command == ServerCommand.Serve && mode == TransportMode.Http ? BindHttp(values) : new HttpSettings(),
            Cache = cache,
            Engine = engine,
            Api = command == ServerCommand.Api ? BindApi(values) : new ApiSettings(),
            Notices = notices,
        };
    }

    private static T GetValue<T>(Dictionary<string, SettingValue> values, string name, T fallback, Func<SettingDefinition, SettingValue, T> parse) =>
        values.TryGetValue(name, out var value) ? parse(SettingDefinitions.Get(name), value) : fallback;

    private static HttpSettings BindHttp(Dictionary<string, SettingValue> values)
    {
        var listen = GetValue(values, HttpListen, "127.0.0.1", SettingParsers.ParseListen);
        var port = GetValue(values, HttpPort, 9452, (d, v) => SettingParsers.ParseInt(d, v, 1, 65535));
        IReadOnlyList<string> allowed;
        if (values.TryGetValue(HttpAllowedHosts, out var hosts))
        {
            allowed = SettingParsers.ParseHostList(SettingDefinitions.Get(HttpAllowedHosts), hosts);
        }
        else if (IsWildcard(listen))
        {
            throw new SettingsException(
                $"--http-listen {listen} accepts connections on every address, so the allowed Host names cannot be derived from it: "
                + "set --http-allowed-hosts (CONTREE_MCP_HTTP_ALLOWED_HOSTS, [http] allowed_hosts) to the names clients use to reach "
                + "this machine, e.g. myhost.lan,10.0.0.5, or '*' to accept any Host (DNS-rebinding protection off)");
        }
        else
        {
            allowed = DefaultAllowedHosts(listen);
        }

        return new HttpSettings
        {
            Listen = listen,
            Port = port,
            AllowedHosts = allowed,
            Token = GetValue(values, HttpToken, "", SettingParsers.ParseToken),
        };
    }

    private static ApiSettings BindApi(Dictionary<string, SettingValue> values)
    {
        var listen = GetValue(values, ApiListen, "127.0.0.1", SettingParsers.ParseListen);
        var port = GetValue(values, ApiPort, 9453, (d, v) => SettingParsers.ParseInt(d, v, 1, 65535));
        var token = GetValue(values, ApiToken, "", SettingParsers.ParseToken);
        if (token.Length == 0 && !IsLoopback(listen))
        {
            throw new SettingsException(
                $"refusing to serve the Contree API on {listen} without a token: anyone who can reach it could run commands. "
                + "Set --token (CONTREE_MCP_API_TOKEN, [api] token) or listen on 127.0.0.1");
        }

        var requireProject = GetValue(values, ApiRequireProject, "", SettingParsers.ParseProject);
        return new ApiSettings { Listen = listen, Port = port, Token = token, RequireProject = requireProject };
    }

    /// <summary>Loopback names plus the listen address when it is a specific address (docs/http.md).</summary>
    public static IReadOnlyList<string> DefaultAllowedHosts(string listen)
    {
        var hosts = new List<string> { "127.0.0.1", "localhost", "[::1]" };
        var host = IPAddress.TryParse(listen, out var address) ? SettingParsers.FormatHost(address) : listen.ToLowerInvariant();
        if (!hosts.Contains(host))
        {
            hosts.Add(host);
        }

        return hosts;
    }

    public static bool IsWildcard(string listen) =>
        IPAddress.TryParse(listen, out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any));

    public static bool IsLoopback(string listen) =>
        listen == "localhost" || (IPAddress.TryParse(listen, out var address) && IPAddress.IsLoopback(address));

    private static string ParsePath(SettingDefinition definition, SettingValue value, string home)
    {
        var text = value.Value.Trim();
        if (text.Length == 0 || text.Contains('\0'))
        {
            throw SettingParsers.Invalid(definition, value, "a file system path");
        }

        return ExpandPath(text, home);
    }

    /// <summary>Expands a leading <c>~</c> and makes the path absolute.</summary>
    public static string ExpandPath(string path, string home)
    {
        if (path == "~")
        {
            return home;
        }

        if (path.StartsWith("~/", StringComparison.Ordinal))
        {
            path = Path.Combine(home, path[2..]);
        }

        return Path.GetFullPath(path);
    }
}
