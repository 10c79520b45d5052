using System.Reflection;
using Contree.Mcp.Json;
using Contree.Mcp.Prompts;
using Contree.Mcp.Resources;
using Contree.Mcp.Tools;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Builds the MCP primitives at DI resolution time (like the SDK's WithTools&lt;T&gt;), so the configured
/// <see cref="ContreeMcpOptions.ToolPrefix"/> and <see cref="ContreeMcpOptions.Flavor"/> apply to names and
/// descriptions. Tool instances are created per call from the request's services.
/// </summary>
internal static class ContreePrimitives
{
    /// <summary>Tool base names in the order clients see them (docs/tools.md).</summary>
    public static readonly string[] ToolOrder =
    [
        "list_images", "registry_token_obtain", "registry_auth", "import_image", "get_image", "set_tag", "run", "rsync", "upload",
        "download", "get_operation", "list_operations", "wait_operations", "cancel_operation", "list_files", "read_file", "get_guide",
    ];

    public static readonly Type[] ToolTypes =
    [
        typeof(ImageTools), typeof(RegistryTools), typeof(ImportTools), typeof(RunTools), typeof(FileTools),
        typeof(OperationTools), typeof(InspectTools), typeof(GuideTools),
    ];

    public static readonly Type[] ResourceTypes = [typeof(ImageResources), typeof(OperationResources), typeof(GuideResources)];

    public static readonly Type[] PromptTypes = [typeof(ContreePrompts)];

    private const BindingFlags Methods = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    public static IEnumerable<(Type Type, MethodInfo Method, string BaseName)> ToolMethods() =>
        ToolTypes
            .SelectMany(type => type.GetMethods(Methods)
                .Select(method => (Type: type, Method: method, Attribute: method.GetCustomAttribute<McpServerToolAttribute>()))
                .Where(t => t.Attribute is not null)
                .Select(t => (t.Type, t.Method, BaseName: t.Attribute!.Name ?? t.Method.Name)))
            .OrderBy(t => Array.IndexOf(ToolOrder, t.BaseName) is var index and >= 0 ? index : int.MaxValue)
            .ThenBy(t => t.BaseName, StringComparer.Ordinal);

    public static IEnumerable<(Type Type, MethodInfo Method)> MethodsWith<TAttribute>(IEnumerable<Type> types)
        where TAttribute : Attribute =>
        types.SelectMany(type => type.GetMethods(Methods).Where(m => m.GetCustomAttribute<TAttribute>() is not null).Select(m => (type, m)));

    public static McpServerTool CreateTool(IServiceProvider services, Type type, MethodInfo method, string baseName)
    {
        var options = services.GetRequiredService<IOptions<ContreeMcpOptions>>().Value;
        var tool = McpServerTool.Create(
            method,
            method.IsStatic ? null! : request => CreateTarget(request.Services ?? services, type),
            new McpServerToolCreateOptions
            {
                Name = options.ToolPrefix + baseName,
                Description = ToolDescriptions.For(baseName, options.Flavor, options.ToolPrefix),
                SerializerOptions = McpJson.Options,
                Services = services,
            });
        return new ContreeTool(tool, method, Logger(services, "Contree.Mcp.Tools"));
    }

    public static McpServerResource CreateResource(IServiceProvider services, Type type, MethodInfo method) =>
        new ContreeResource(
            McpServerResource.Create(
                method,
                method.IsStatic ? null! : request => CreateTarget(request.Services ?? services, type),
                new McpServerResourceCreateOptions { SerializerOptions = McpJson.Options, Services = services }),
            Logger(services, "Contree.Mcp.Resources"));

    public static McpServerPrompt CreatePrompt(IServiceProvider services, Type type, MethodInfo method) =>
        new ContreePrompt(
            McpServerPrompt.Create(
                method,
                method.IsStatic ? null! : request => CreateTarget(request.Services ?? services, type),
                new McpServerPromptCreateOptions { SerializerOptions = McpJson.Options, Services = services }),
            Logger(services, "Contree.Mcp.Prompts"));

    private static ILogger Logger(IServiceProvider services, string category) =>
        services.GetService<ILoggerFactory>()?.CreateLogger(category) ?? NullLogger.Instance;

    private static object CreateTarget(IServiceProvider services, Type type) => ActivatorUtilities.CreateInstance(services, type);
}
