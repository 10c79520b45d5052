using System.Text.Json;

namespace Contree.Server.IndexPage;

/// <summary>A tool as listed on the index page: name, description and JSON-schema input.</summary>
internal sealed record IndexTool(string Name, string Description, JsonElement InputSchema);
