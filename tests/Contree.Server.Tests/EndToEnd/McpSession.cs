using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>A connected MCP client with the assertions every end-to-end test needs.</summary>
internal sealed class McpSession(McpClient client, ServerInstance server) : IAsyncDisposable
{
    private int _disposed;

    public McpClient Client { get; } = client;

    public ServerInstance Server { get; } = server;

    /// <summary>Calls a tool with arguments given as an object whose property names are the wire names.</summary>
    public async Task<CallToolResult> CallAsync(string tool, object? arguments = null, CancellationToken cancellationToken = default)
    {
        var dictionary = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return await Client.CallToolAsync(
            tool,
            dictionary,
            cancellationToken: cancellationToken == default ? TestContext.Current.CancellationToken : cancellationToken);
    }

    /// <summary>Calls a tool that must succeed; returns its structured content (which must equal its text block).</summary>
    public async Task<JsonElement> CallOkAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        Assert.True(result.IsError is not true, $"{tool} failed: {Text(result)}\nserver stderr:\n{Server.StandardError}");
        Assert.NotNull(result.StructuredContent);
        var structured = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.Equal(JsonDocument.Parse(Text(result)).RootElement.ToString(), structured.ToString());
        return structured;
    }

    /// <summary>Calls a tool that must fail with a tool error; returns the error text.</summary>
    public async Task<string> CallErrorAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        Assert.True(result.IsError, $"{tool} unexpectedly succeeded: {Text(result)}");
        return Text(result);
    }

    /// <summary>Reads a resource that must come back as one text content.</summary>
    public async Task<string> ReadTextAsync(string uri)
    {
        var result = await Client.ReadResourceAsync(uri, cancellationToken: TestContext.Current.CancellationToken);
        var content = Assert.Single(result.Contents);
        return Assert.IsType<TextResourceContents>(content).Text;
    }

    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await Client.DisposeAsync();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or HttpRequestException or OperationCanceledException)
        {
            // The server may already be gone (killed by a restart test); there is nothing left to close.
        }
    }
}
