using System.IO.Pipelines;
using Contree.Server.Configuration;
using Contree.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Server.IndexPage;

/// <summary>
/// Produces the index page from the LIVE server: for each request it connects an in-memory MCP client to a server
/// built from the same <see cref="McpServerOptions"/> and services as /mcp, and lists exactly what an agent would
/// see (tools, templates, static resources, prompts, instructions), reading each guide resource for its text.
/// </summary>
internal sealed class IndexPageSource(IOptions<McpServerOptions> options, IServiceProvider services, ILoggerFactory loggerFactory, ServerSettings settings)
{
    private const string GuidePrefix = "contree://guide/";

    public async Task<string> RenderAsync(CancellationToken cancellationToken = default)
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var transport = new StreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream(), "index-page", loggerFactory);
        await using var server = McpServer.Create(transport, options.Value, loggerFactory, services);
        var serverRun = server.RunAsync(stop.Token);
        try
        {
            var clientTransport = new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream(), NullLoggerFactory.Instance);
            await using var client = await McpClient.CreateAsync(clientTransport, new McpClientOptions(), NullLoggerFactory.Instance, cancellationToken);
            return IndexPageRenderer.Render(await ReadModelAsync(client, cancellationToken));
        }
        finally
        {
            await stop.CancelAsync();
            await toServer.Writer.CompleteAsync();
            try
            {
                await serverRun;
            }
            catch (OperationCanceledException)
            {
                // Expected: the in-memory session is torn down.
            }
        }
    }

    private async Task<IndexPageModel> ReadModelAsync(McpClient client, CancellationToken cancellationToken)
    {
        var tools = await client.ListToolsAsync(cancellationToken: cancellationToken);
        var templates = await client.ListResourceTemplatesAsync(cancellationToken: cancellationToken);
        var resources = await client.ListResourcesAsync(cancellationToken: cancellationToken);
        var prompts = await client.ListPromptsAsync(cancellationToken: cancellationToken);
        var guides = new List<IndexGuide>();
        foreach (var resource in resources.Where(r => r.Uri.StartsWith(GuidePrefix, StringComparison.Ordinal)))
        {
            var read = await client.ReadResourceAsync(resource.Uri, cancellationToken: cancellationToken);
            var text = string.Concat(read.Contents.OfType<TextResourceContents>().Select(c => c.Text));
            guides.Add(new IndexGuide(resource.Uri[GuidePrefix.Length..], resource.Uri, text));
        }

        return new IndexPageModel
        {
            Instructions = client.ServerInstructions ?? "",
            Tools = [.. tools.Select(t => new IndexTool(t.Name, t.Description ?? "", t.ProtocolTool.InputSchema))],
            Resources =
            [
                .. templates.Select(t => new IndexResource(t.Name, t.UriTemplate, t.Description ?? "", IsTemplate: true)),
                .. resources.Select(r => new IndexResource(r.Name, r.Uri, r.Description ?? "", IsTemplate: false)),
            ],
            Prompts = [.. prompts.Select(p => new IndexPrompt(p.Name, p.Description ?? "",
                [.. (p.ProtocolPrompt.Arguments ?? []).Select(a => new IndexPromptArgument(a.Name, a.Required == true))]))],
            Guides = guides,
            Port = settings.Http.Port,
            RequiresToken = settings.Http.Token.Length > 0,
            Backend = settings.Backend.ToString().ToLowerInvariant(),
            Version = ProductInfo.Version,
        };
    }
}
