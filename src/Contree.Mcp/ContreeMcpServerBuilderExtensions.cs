using Contree.Mcp.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Server;

namespace Contree.Mcp;

/// <summary>Adds every Contree tool, resource template, guide resource and prompt to an MCP server.</summary>
public static class ContreeMcpServerBuilderExtensions
{
    /// <summary>
    /// Registers the tools (named with <see cref="ContreeMcpOptions.ToolPrefix"/> and described for
    /// <see cref="ContreeMcpOptions.Flavor"/>), the resource templates, the static guide resources and the prompts.
    /// Call <see cref="ContreeMcpServiceCollectionExtensions.AddContreeMcp"/> and register an IContreeBackend as well.
    /// </summary>
    public static IMcpServerBuilder WithContreePrimitives(this IMcpServerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (type, method, baseName) in ContreePrimitives.ToolMethods())
        {
            builder.Services.AddSingleton(services => ContreePrimitives.CreateTool(services, type, method, baseName));
        }

        foreach (var (type, method) in ContreePrimitives.MethodsWith<McpServerResourceAttribute>(ContreePrimitives.ResourceTypes))
        {
            builder.Services.AddSingleton(services => ContreePrimitives.CreateResource(services, type, method));
        }

        foreach (var (type, method) in ContreePrimitives.MethodsWith<McpServerPromptAttribute>(ContreePrimitives.PromptTypes))
        {
            builder.Services.AddSingleton(services => ContreePrimitives.CreatePrompt(services, type, method));
        }

        return builder;
    }
}
