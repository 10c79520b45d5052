using System.Text.Json.Serialization;
using Contree.Core.Models;

namespace Contree.Engine.Storage;

/// <summary>Source-generated JSON for the engine's own columns: layer chains and environments as JSON arrays, operation results.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(OperationResult))]
internal sealed partial class EngineJsonContext : JsonSerializerContext;
