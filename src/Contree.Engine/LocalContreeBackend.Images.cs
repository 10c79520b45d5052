using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Storage;

namespace Contree.Engine;

internal sealed partial class LocalContreeBackend
{
    /// <summary>Longest tag accepted.</summary>
    public const int MaxTagLength = 255;

    public Task<ImageListResponse> ListImagesAsync(ImageListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ValidatePaging(query.Limit, query.Offset);
        var now = _time.GetUtcNow();
        var since = query.Since is { Length: > 0 } s ? Timestamps.Format(Timestamps.ParseBound(s, now, "since")) : null;
        var until = query.Until is { Length: > 0 } u ? Timestamps.Format(Timestamps.ParseBound(u, now, "until")) : null;
        var records = _images.List(query.Tagged, query.NormalizedTagPrefix, since, until, query.Limit, query.Offset);
        return Task.FromResult(new ImageListResponse { Images = [.. records.Select(ImageStore.ToWire)] });
    }

    public Task<Image> TagImageAsync(string imageUuid, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imageUuid);
        ValidateTag(tag);
        return Task.FromResult(ImageStore.ToWire(_images.SetTag(NormalizeId(imageUuid), tag)));
    }

    public Task UntagImageAsync(string imageUuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(imageUuid);
        _images.ClearTag(NormalizeId(imageUuid));
        return Task.CompletedTask;
    }

    public Task<Image> GetImageByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var record = _images.GetByTag(tag) ?? throw ContreeException.NotFound($"tag '{tag}' not found");
        return Task.FromResult(ImageStore.ToWire(record));
    }

    public Task<Image> GetImageAsync(string imageUuid, CancellationToken cancellationToken = default) =>
        Task.FromResult(ImageStore.ToWire(GetImageRecord(imageUuid)));

    /// <summary>A tag is 1–255 characters without whitespace or control characters.</summary>
    public static void ValidateTag(string? tag)
    {
        if (string.IsNullOrEmpty(tag))
        {
            throw ContreeException.InvalidArgument("tag must not be empty");
        }

        if (tag.Length > MaxTagLength)
        {
            throw ContreeException.InvalidArgument($"tag must be at most {MaxTagLength} characters, got {tag.Length}");
        }

        if (tag.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw ContreeException.InvalidArgument($"tag must not contain whitespace or control characters, got: '{tag.ReplaceLineEndings(" ")}'");
        }
    }

    private static void ValidatePaging(int limit, int offset)
    {
        if (limit is < 1 or > 10_000)
        {
            throw ContreeException.InvalidArgument($"limit must be between 1 and 10000, got {limit}");
        }

        if (offset < 0)
        {
            throw ContreeException.InvalidArgument($"offset must not be negative, got {offset}");
        }
    }
}
