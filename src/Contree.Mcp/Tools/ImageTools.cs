using System.ComponentModel;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Core.References;
using Contree.Mcp.Results;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tools;

/// <summary>list_images, get_image and set_tag (docs/tools.md).</summary>
[McpServerToolType]
internal sealed class ImageTools(IContreeBackend backend)
{
    [McpServerTool(Name = "list_images", Title = "List images", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("List images.")]
    public async Task<ImageListResult> ListImagesAsync(
        [Description("Maximum number of images to return (1–1000).")] int limit = 100,
        [Description("Number of images to skip (for paging).")] int offset = 0,
        [Description("true: only tagged images; false: only untagged; omit for all.")] bool? tagged = null,
        [Description("Only images whose tag starts with this prefix, e.g. 'common/python' or 'myproject/'. Trailing ':', '/' and '.' are ignored.")] string? tag_prefix = null,
        [Description("Only images created since this time (e.g. '1h', '1d' or an ISO-8601 timestamp).")] string? since = null,
        [Description("Only images created until this time (same forms as since).")] string? until = null,
        CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > 1000)
        {
            throw ContreeException.InvalidArgument($"limit must be between 1 and 1000, got: {limit}");
        }

        if (offset < 0)
        {
            throw ContreeException.InvalidArgument($"offset must not be negative, got: {offset}");
        }

        var response = await backend.ListImagesAsync(
            new ImageListQuery
            {
                Limit = limit,
                Offset = offset,
                Tagged = tagged,
                TagPrefix = tag_prefix,
                Since = string.IsNullOrWhiteSpace(since) ? null : since,
                Until = string.IsNullOrWhiteSpace(until) ? null : until,
            },
            cancellationToken);
        return new ImageListResult([.. response.Images.Select(ToView)]);
    }

    [McpServerTool(Name = "get_image", Title = "Get an image", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Get an image.")]
    public async Task<ImageView> GetImageAsync(
        [Description("A UUID or 'tag:<name>' (percent-encoded input such as 'tag:common%2Fpython' is accepted).")] string image,
        CancellationToken cancellationToken = default)
    {
        var reference = ImageReference.Parse(image);
        var found = reference.IsTag
            ? await backend.GetImageByTagAsync(reference.Tag!, cancellationToken)
            : await backend.GetImageAsync(reference.Uuid!.Value.ToString("D"), cancellationToken);
        return ToView(found);
    }

    [McpServerTool(Name = "set_tag", Title = "Tag or untag an image", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Set or remove an image tag.")]
    public async Task<ImageView> SetTagAsync(
        [Description("The image: a UUID or 'tag:<name>'.")] string image_uuid,
        [Description("The new tag, e.g. 'common/python-ml/python:3.11-slim'. A tag names one image: setting it moves it here. Omit or pass an empty string to remove the image's tag.")] string? tag = null,
        CancellationToken cancellationToken = default)
    {
        var uuid = await backend.ResolveImageAsync(image_uuid, cancellationToken);
        if (string.IsNullOrWhiteSpace(tag))
        {
            await backend.UntagImageAsync(uuid, cancellationToken);
            return ToView(await backend.GetImageAsync(uuid, cancellationToken));
        }

        return ToView(await backend.TagImageAsync(uuid, tag.Trim(), cancellationToken));
    }

    internal static ImageView ToView(Image image) => new(image.Uuid, string.IsNullOrEmpty(image.Tag) ? null : image.Tag, image.CreatedAt);
}
