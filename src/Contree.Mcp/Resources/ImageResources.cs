using System.ComponentModel;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.References;
using Contree.Mcp.Caches;
using Contree.Mcp.Json;
using Contree.Mcp.Tools;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Resources;

/// <summary>
/// Image resources (docs/tools.md, "Resource templates"): a file, a directory listing and the lineage of an image. The image
/// segment is a UUID or <c>tag:&lt;name&gt;</c>; a tag containing '/' must be percent-encoded there
/// (<c>tag:common%2Fpython</c>) because the segment cannot contain '/'.
/// </summary>
[McpServerResourceType]
internal sealed class ImageResources(IContreeBackend backend, LineageStore lineage)
{
    private const int MaxResourceBytes = 16 * 1024 * 1024;

    [McpServerResource(UriTemplate = "contree://image/{image}/read/{+path}", Name = "contree_image_read", Title = "File in an image", MimeType = "text/plain")]
    [Description("A file of an image, e.g. contree://image/tag:alpine:latest/read/etc/os-release. UTF-8 files come back as text/plain, anything else as an application/octet-stream blob. Reads at most 16 MiB; use the read_file tool with max_bytes for a prefix of a larger file.")]
    public async Task<ResourceContents> ReadAsync(
        RequestContext<ReadResourceRequestParams> context,
        [Description("A UUID or tag:<name> (percent-encode '/' in tags).")] string image,
        [Description("Path of the file inside the image.")] string path,
        CancellationToken cancellationToken = default)
    {
        var uri = context.Params?.Uri ?? "";
        if (string.IsNullOrWhiteSpace(path))
        {
            throw ContreeException.InvalidArgument("The resource URI names no file path after /read/");
        }

        var uuid = await backend.ResolveImageAsync(image, cancellationToken);
        var (bytes, total) = await InspectTools.ReadPrefixAsync(backend, uuid, "/" + path.TrimStart('/'), MaxResourceBytes, cancellationToken);
        if (total > bytes.Length)
        {
            throw ContreeException.InvalidArgument(
                $"File /{path.TrimStart('/')} is {total} bytes, more than the 16 MiB a resource returns; use the read_file tool with max_bytes");
        }

        var (content, encoding) = InspectTools.Decode(bytes, truncated: false);
        return encoding == "utf-8"
            ? new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = content }
            : BlobResourceContents.FromBytes(bytes, uri, "application/octet-stream");
    }

    [McpServerResource(UriTemplate = "contree://image/{image}/ls/{+path}", Name = "contree_image_ls", Title = "Directory listing of an image", MimeType = "text/plain")]
    [Description("An ls -l style listing of a directory of an image, e.g. contree://image/<uuid>/ls/. for the root or contree://image/tag:alpine:latest/ls/etc.")]
    public async Task<TextResourceContents> ListAsync(
        RequestContext<ReadResourceRequestParams> context,
        [Description("A UUID or tag:<name> (percent-encode '/' in tags).")] string image,
        [Description("Directory inside the image; '.' or empty means '/'.")] string path,
        CancellationToken cancellationToken = default)
    {
        var uuid = await backend.ResolveImageAsync(image, cancellationToken);
        var text = await backend.ListDirectoryTextAsync(uuid, InspectTools.NormalizeDirectory(path), cancellationToken);
        return new TextResourceContents { Uri = context.Params?.Uri ?? "", MimeType = "text/plain", Text = text };
    }

    [McpServerResource(UriTemplate = "contree://image/{image}/lineage", Name = "contree_image_lineage", Title = "Lineage of an image", MimeType = "application/json")]
    [Description("How an image was made, as recorded by this server: parent, direct children and ancestors (nearest first) as {image, command, exit_code}, the root ({image, registry_url, is_import}), depth and is_known. Use it to roll back to an ancestor.")]
    public async Task<TextResourceContents> LineageAsync(
        RequestContext<ReadResourceRequestParams> context,
        [Description("A UUID or tag:<name> (percent-encode '/' in tags).")] string image,
        CancellationToken cancellationToken = default)
    {
        var uuid = await backend.ResolveImageAsync(image, cancellationToken);
        var view = lineage.Describe(uuid);
        return new TextResourceContents { Uri = context.Params?.Uri ?? "", MimeType = "application/json", Text = McpJson.Serialize(view) };
    }
}
