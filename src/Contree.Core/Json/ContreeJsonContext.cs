using System.Text.Json.Serialization;
using Contree.Core.Models;

namespace Contree.Core.Json;

/// <summary>Source-generated serialization of the Contree wire models: snake_case names, all fields written.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(Image))]
[JsonSerializable(typeof(ImageListResponse))]
[JsonSerializable(typeof(DirectoryList))]
[JsonSerializable(typeof(FileResponse))]
[JsonSerializable(typeof(InstanceSpawnResponse))]
[JsonSerializable(typeof(InstanceMetadata))]
[JsonSerializable(typeof(ImportImageMetadata))]
[JsonSerializable(typeof(OperationResponse))]
[JsonSerializable(typeof(OperationListResponse))]
[JsonSerializable(typeof(List<OperationSummary>))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(TagRequest))]
public sealed partial class ContreeJsonContext : JsonSerializerContext;
