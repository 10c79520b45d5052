using System.Text.Json.Serialization;
using Contree.Mcp.Files;
using Contree.Mcp.Registry;
using Contree.Mcp.Results;
using Contree.Mcp.Sync;

namespace Contree.Mcp.Json;

/// <summary>
/// Compile-time serializers for tool results and arguments, with the naming and null handling of
/// <see cref="McpJson.Options"/>. Without them every first call of a tool builds its serializer by reflection
/// and runs it unoptimized; source-generated code is compiled ahead of time with the rest of the server.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(FileListResult))]
[JsonSerializable(typeof(ReadFileResult))]
[JsonSerializable(typeof(ImageListResult))]
[JsonSerializable(typeof(ImageView))]
[JsonSerializable(typeof(OperationView))]
[JsonSerializable(typeof(OperationListResult))]
[JsonSerializable(typeof(WaitOperationsResult))]
[JsonSerializable(typeof(CancelResult))]
[JsonSerializable(typeof(LineageView))]
[JsonSerializable(typeof(SyncResult))]
[JsonSerializable(typeof(UploadResult))]
[JsonSerializable(typeof(DownloadResult))]
[JsonSerializable(typeof(RegistryAuthResult))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class McpResultJsonContext : JsonSerializerContext;
