namespace Contree.Engine.Registry;

/// <summary>A manifest as the registry sent it: body, Content-Type and the Docker-Content-Digest header (if any).</summary>
internal sealed record RegistryManifest(byte[] Body, string? ContentType, string? HeaderDigest);
