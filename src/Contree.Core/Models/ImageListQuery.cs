namespace Contree.Core.Models;

/// <summary>Filters of GET /images (E1). Null members are not sent.</summary>
public sealed record ImageListQuery
{
    public int Limit { get; set; } = 100;

    public int Offset { get; init; }

    /// <summary>True: only tagged images; false: only untagged; null: all.</summary>
    public bool? Tagged { get; init; }

    /// <summary>Tag prefix; trailing ':', '/' and '.' are stripped before it is sent as <c>tag</c>.</summary>
    public string? TagPrefix { get; init; }

    public string? Since { get; init; }

    public string? Until { get; init; }

    /// <summary>The prefix as the API expects it: trailing ':', '/' and '.' removed.</summary>
    public string? NormalizedTagPrefix =>
        string.IsNullOrEmpty(TagPrefix) ? null : TagPrefix.TrimEnd(':', '/', '.') is { Length: > 0 } p ? p : null;
}
