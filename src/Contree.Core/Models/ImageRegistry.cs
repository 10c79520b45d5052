namespace Contree.Core.Models;

/// <summary>Where an import comes from: a <c>docker://</c> URL or a local OCI source, plus credentials.</summary>
public sealed record ImageRegistry
{
    public required string Url { get; init; }

    public ImageCredentials Credentials { get; set; } = new();
}
