using System.ComponentModel;
using System.Reflection;
using Contree.Mcp.Prompts;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tests.Prompts;

public sealed class ContreePromptsTests
{
    private static ContreePrompts Create(string prefix = "contree_") =>
        new(Options.Create(new ContreeMcpOptions { ToolPrefix = prefix }));

    [Fact]
    public void Prompts_Attributes_DeclareTheTenNamesWithDescribedArguments()
    {
        var methods = typeof(ContreePrompts).GetMethods()
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<McpServerPromptAttribute>()))
            .Where(x => x.Attribute is not null)
            .ToList();

        Assert.Equal(
            ["build-project", "debug-failure", "inspect-image", "install-packages", "multi-stage-build", "parallel-tasks", "prepare-environment", "run-python", "run-shell", "sync-and-run"],
            methods.Select(x => x.Attribute!.Name!).Order(StringComparer.Ordinal));
        foreach (var (method, _) in methods)
        {
            Assert.False(string.IsNullOrWhiteSpace(method.GetCustomAttribute<DescriptionAttribute>()?.Description), method.Name);
            Assert.All(method.GetParameters(), p => Assert.False(string.IsNullOrWhiteSpace(p.GetCustomAttribute<DescriptionAttribute>()?.Description), $"{method.Name}.{p.Name}"));
        }
    }

    [Fact]
    public void Prompts_Defaults_MatchSpec()
    {
        static object? Default(string method, string parameter) =>
            typeof(ContreePrompts).GetMethod(method)!.GetParameters().Single(p => p.Name == parameter).DefaultValue;

        Assert.Equal("python:3.11-slim", Default(nameof(ContreePrompts.PrepareEnvironment), "base"));
        Assert.Null(Default(nameof(ContreePrompts.PrepareEnvironment), "project"));
        Assert.Equal("ubuntu:noble", Default(nameof(ContreePrompts.RunShell), "image"));
        Assert.Equal("alpine:latest", Default(nameof(ContreePrompts.SyncAndRun), "image"));
        Assert.Equal("pip install -e .", Default(nameof(ContreePrompts.BuildProject), "install_cmd"));
        Assert.Equal("pytest", Default(nameof(ContreePrompts.MultiStageBuild), "test_cmd"));
        Assert.Equal("python -m build", Default(nameof(ContreePrompts.MultiStageBuild), "build_cmd"));
    }

    [Fact]
    public void RunPython_Code_ContainsCodePythonAndRun()
    {
        var text = Create().RunPython("print('hello')");

        Assert.Contains("print('hello')", text);
        Assert.Contains("python", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("contree_run", text);
    }

    [Fact]
    public void RunPython_MultiLineCode_RendersUnindented()
    {
        const string code = "def f():\n    return 1\n\nprint(f())";

        var text = Create().RunPython(code);

        Assert.Contains("```python\n" + code + "\n```", text);
        Assert.DoesNotContain("\n        ", text.Replace(code, "", StringComparison.Ordinal));
        Assert.False(char.IsWhiteSpace(text[0]));
    }

    [Fact]
    public void RunShell_DefaultImage_UsesUbuntuNoble()
    {
        var text = Create().RunShell("ls -la");

        Assert.Contains("ls -la", text);
        Assert.Contains("ubuntu:noble", text);
        Assert.Contains("contree_list_images(tag_prefix=\"ubuntu\")", text);
    }

    [Fact]
    public void RunShell_CustomImage_UsesIt()
    {
        Assert.Contains("alpine:latest", Create().RunShell("ls", "alpine:latest"));
    }

    [Fact]
    public void SyncAndRun_Arguments_AppearWithRsync()
    {
        var text = Create().SyncAndRun("/home/me/project", "make test", "node:18");

        Assert.Contains("/home/me/project", text);
        Assert.Contains("make test", text);
        Assert.Contains("contree_rsync", text);
        Assert.Contains("node:18", text);
    }

    [Fact]
    public void InstallPackages_Packages_UsePipAndDisposableFalse()
    {
        var text = Create().InstallPackages("numpy pandas", "python:3.12");

        Assert.Contains("numpy pandas", text);
        Assert.Contains("pip install", text);
        Assert.Contains("disposable=false", text);
        Assert.Contains("python:3.12", text);
        Assert.Contains("{scope}/{purpose}/{base}", text);
    }

    [Fact]
    public void InstallingPrompts_SayWhatNetworkARunHasAndHowToLimitIt()
    {
        var prompts = Create();
        foreach (var text in new[]
        {
            prompts.InstallPackages("numpy"), prompts.PrepareEnvironment("train"), prompts.BuildProject("/src/app"), prompts.MultiStageBuild("/src/app"),
        })
        {
            Assert.Contains("network=\"internet\"", text, StringComparison.Ordinal);
            Assert.Contains("allowed_hosts", text, StringComparison.Ordinal);
            Assert.Contains("network=\"none\"", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ParallelTasks_MultiLineTasks_ListedUnindentedWithWaitFalse()
    {
        var text = Create().ParallelTasks("task1\ntask2\ntask3", "custom:latest");

        Assert.Contains("\ntask1\ntask2\ntask3\n", text);
        Assert.Contains("wait=false", text);
        Assert.Contains("contree_wait_operations", text);
        Assert.Contains("custom:latest", text);
    }

    [Fact]
    public void BuildProject_Defaults_InstallAndTest()
    {
        var text = Create().BuildProject("/src/app");

        Assert.Contains("/src/app", text);
        Assert.Contains("pip install", text);
        Assert.Contains("pytest", text);
    }

    [Fact]
    public void BuildProject_CustomCommands_Used()
    {
        var text = Create().BuildProject("/src/app", "npm install", "npm test");

        Assert.Contains("npm install", text);
        Assert.Contains("npm test", text);
    }

    [Fact]
    public void DebugFailure_OperationId_GetOperationAndExitCode()
    {
        var text = Create().DebugFailure("op-123");

        Assert.Contains("contree_get_operation(operation_id=\"op-123\")", text);
        Assert.Contains("exit_code", text);
    }

    [Fact]
    public void InspectImage_Image_PrefersFreeTools()
    {
        var text = Create("").InspectImage("tag:alpine:latest");

        Assert.Contains("list_files(image=\"tag:alpine:latest\"", text);
        Assert.Contains("read_file(image=\"tag:alpine:latest\"", text);
        Assert.DoesNotContain("contree_", text);
    }

    [Fact]
    public void MultiStageBuild_Commands_EachStageKeepsResultImage()
    {
        var text = Create().MultiStageBuild("/src/app", "make deps", "make", "make check");

        Assert.Contains("make deps", text);
        Assert.Contains("command=\"make\"", text);
        Assert.Contains("make check", text);
        Assert.Contains("result_image", text);
    }

    [Theory]
    [InlineData(null, "custom-env")]
    [InlineData("", "custom-env")]
    [InlineData("numpy==1.2 pandas", "numpy-env")]
    [InlineData("uvicorn[standard] fastapi", "uvicorn-env")]
    [InlineData("  flask  ", "flask-env")]
    public void Purpose_Packages_FirstPackageName(string? packages, string expected)
    {
        Assert.Equal(expected, ContreePrompts.Purpose(packages));
    }

    [Fact]
    public void PrepareEnvironment_WithoutProject_CommonScopeTag()
    {
        var text = Create().PrepareEnvironment("train a model", packages: "numpy==1.26 pandas");

        Assert.Contains("Suggested tag: common/numpy-env/python:3.11-slim", text);
        Assert.Contains("(common/reusable)", text);
        Assert.Contains("- Packages: numpy==1.26 pandas", text);
        Assert.Contains("contree_list_images(tag_prefix=\"common/\")", text);
        Assert.Contains("pip install numpy==1.26 pandas", text);
    }

    [Fact]
    public void PrepareEnvironment_WithProject_ProjectScopeAndNoPackagesLine()
    {
        var text = Create().PrepareEnvironment("serve the api", "ubuntu:noble", "myproj");

        Assert.Contains("Suggested tag: myproj/custom-env/ubuntu:noble", text);
        Assert.Contains("(project-specific)", text);
        Assert.DoesNotContain("- Packages:", text);
        Assert.Contains("<required packages>", text);
        Assert.Contains("docker://docker.io/library/ubuntu:noble", text);
    }
}
