using System.Reflection;
using Contree.Client;
using Contree.Core;
using Contree.Engine;
using Contree.Mcp;
using Contree.Tests.Common;

namespace Contree.Server.Tests;

/// <summary>The dependency rules of docs/architecture.md (Core ← Client, Engine, Mcp ← Server), checked on the built assemblies and on the Mcp sources.</summary>
public sealed class ArchitectureTests
{
    private static string[] SolutionReferences(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("Contree.", StringComparison.Ordinal) || n == "contree-mcp").Order()];

    [Fact]
    public void Core_ReferencesNoSolutionAssembly()
    {
        Assert.Empty(SolutionReferences(typeof(IContreeBackend).Assembly));
    }

    [Theory]
    [InlineData(typeof(ContreeMcpOptions))]
    [InlineData(typeof(ContreeClientOptions))]
    [InlineData(typeof(EngineOptions))]
    public void FrontAndBackends_ReferenceOnlyCore(Type type)
    {
        Assert.Equal(["Contree.Core"], SolutionReferences(type.Assembly));
    }

    [Fact]
    public void Mcp_DoesNotReferenceAspNetCore()
    {
        Assert.DoesNotContain(typeof(ContreeMcpOptions).Assembly.GetReferencedAssemblies(), a => a.Name == "ModelContextProtocol.AspNetCore");
    }

    [Fact]
    public void McpSources_HaveNoUsingOfEngineOrClient()
    {
        var root = RepositoryRoot.Path;
        var offenders = Directory.EnumerateFiles(Path.Combine(root, "src", "Contree.Mcp"), "*.cs", SearchOption.AllDirectories)
            .Where(file => !file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(file => File.ReadLines(file).Any(line =>
                line.TrimStart().StartsWith("using Contree.Engine", StringComparison.Ordinal)
                || line.TrimStart().StartsWith("using Contree.Client", StringComparison.Ordinal)))
            .ToList();

        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(root, "src", "Contree.Mcp"), "*.cs", SearchOption.AllDirectories));
        Assert.Empty(offenders);
    }
}
