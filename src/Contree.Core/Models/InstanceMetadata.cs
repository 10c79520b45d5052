using System.Text.Json.Serialization;

namespace Contree.Core.Models;

/// <summary>
/// Body of POST /instances (E15) and the metadata of instance operations. Every field is sent.
/// </summary>
public sealed record InstanceMetadata : OperationMetadata
{
    public required string Command { get; init; }

    /// <summary>The image UUID (clients resolve <c>tag:</c> references before sending).</summary>
    public required string Image { get; init; }

    public string Hostname { get; set; } = "linuxkit";

    /// <summary>Arguments, used only when <see cref="Shell"/> is false.</summary>
    public IReadOnlyList<string> Args { get; set; } = [];

    /// <summary>True: <see cref="Command"/> is a shell expression run by /bin/sh -c.</summary>
    public bool Shell { get; init; }

    public IReadOnlyDictionary<string, string> Env { get; set; } = new Dictionary<string, string>();

    /// <summary>Absolute working directory.</summary>
    public string Cwd { get; set; } = "/root";

    /// <summary>True: filesystem changes are discarded; false: they become a new image.</summary>
    public bool Disposable { get; init; }

    public StreamPayload Stdin { get; set; } = StreamPayload.Empty;

    /// <summary>Execution time limit in seconds.</summary>
    public int Timeout { get; set; } = 60;

    /// <summary>Bytes of stdout and of stderr kept; the rest is dropped and the stream marked truncated.</summary>
    public long TruncateOutputAt { get; set; } = 65536;

    /// <summary>The run's network; null (not sent): the backend's default (the local engine's <c>--engine-network</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public InstanceNetworking? Networking { get; set; }

    /// <summary>Container path → uploaded file.</summary>
    public IReadOnlyDictionary<string, InstanceFileSpec> Files { get; set; } = new Dictionary<string, InstanceFileSpec>();

    /// <summary>Filled in by the backend once the instance finished.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public InstanceResult? Result { get; init; }
}
