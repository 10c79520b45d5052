using System.Text.Json.Serialization;

namespace Contree.Engine.Registry;

/// <summary>Source-generated JSON for OCI and Docker image documents (property names as in the specs).</summary>
[JsonSourceGenerationOptions(ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow, AllowTrailingCommas = false)]
[JsonSerializable(typeof(OciManifestDocument))]
[JsonSerializable(typeof(OciImageConfig))]
[JsonSerializable(typeof(DockerArchiveEntry[]))]
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
