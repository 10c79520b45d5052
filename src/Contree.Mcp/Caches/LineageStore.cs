using System.Text.Json.Nodes;
using Contree.Mcp.Results;

namespace Contree.Mcp.Caches;

/// <summary>
/// Image lineage kept in the general cache under kind <c>image</c>. Each row describes how one image
/// was made: by a command from a parent image, or by an import. A parent without a row gets a placeholder row so the
/// chain stays linked.
/// </summary>
internal sealed class LineageStore(GeneralCache cache)
{
    public const string Kind = "image";

    public void RecordInstance(string operationId, string inputImage, string resultImage, string command, int exitCode)
    {
        var parent = cache.Get(Kind, inputImage) ?? cache.Put(Kind, inputImage, new JsonObject().ToJsonString());
        var data = new JsonObject
        {
            ["parent_image"] = inputImage,
            ["operation_id"] = operationId,
            ["command"] = command,
            ["exit_code"] = exitCode,
        };
        cache.Put(Kind, resultImage, data.ToJsonString(), parent.Id);
    }

    public void RecordImport(string operationId, string resultImage, string registryUrl, string? tag)
    {
        var data = new JsonObject
        {
            ["operation_id"] = operationId,
            ["registry_url"] = registryUrl,
            ["tag"] = tag,
            ["is_import"] = true,
        };
        cache.Put(Kind, resultImage, data.ToJsonString());
    }

    /// <summary>The lineage of one image as the lineage resource shows it.</summary>
    public LineageView Describe(string imageUuid)
    {
        var entry = cache.Get(Kind, imageUuid);
        if (entry is null)
        {
            return new LineageView(imageUuid, null, [], [], null, 0, false);
        }

        var ancestors = cache.GetAncestors(Kind, imageUuid);
        var children = cache.GetChildren(Kind, imageUuid);
        var top = ancestors.Count > 0 ? ancestors[^1] : entry;
        var topData = Parse(top.Data);
        var root = new LineageRoot(top.Key, (string?)topData["registry_url"], (bool?)topData["is_import"] ?? false);
        return new LineageView(
            imageUuid,
            ancestors.Count > 0 ? Node(ancestors[0]) : null,
            [.. children.Select(Node)],
            [.. ancestors.Select(Node)],
            root,
            ancestors.Count,
            true);
    }

    private static LineageNode Node(CacheEntry entry)
    {
        var data = Parse(entry.Data);
        return new LineageNode(entry.Key, (string?)data["command"], (int?)data["exit_code"]);
    }

    private static JsonObject Parse(string json) => JsonNode.Parse(json) as JsonObject ?? [];
}
