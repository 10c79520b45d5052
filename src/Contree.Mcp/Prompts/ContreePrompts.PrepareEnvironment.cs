using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Prompts;

internal sealed partial class ContreePrompts
{
    private const string TaggingRules = """
        Tagging rules:
        - Format: `{scope}/{purpose}/{base}`, where base includes its tag (e.g. `common/python/ubuntu:noble`).
        - scope: `common` for reusable environments, or the project name for project-specific ones.
        - purpose: what was added to the base (e.g. `python-ml`, `web-deps`).
        """;

    [McpServerPrompt(Name = "prepare-environment", Title = "Prepare an environment")]
    [Description("Prepare an environment for a task, checking existing images first.")]
    public string PrepareEnvironment(
        [Description("What the environment is for.")] string task,
        [Description("Base image name and tag, e.g. python:3.11-slim.")] string @base = "python:3.11-slim",
        [Description("Project name; the tag scope becomes the project instead of 'common'.")] string? project = null,
        [Description("Packages to install with pip, separated by spaces.")] string? packages = null)
    {
        var scope = string.IsNullOrWhiteSpace(project) ? "common" : project;
        var tag = $"{scope}/{Purpose(packages)}/{@base}";
        var packagesLine = string.IsNullOrWhiteSpace(packages) ? "" : $"\n- Packages: {packages}";
        var scopeNote = string.IsNullOrWhiteSpace(project) ? "(common/reusable)" : "(project-specific)";
        return Finish($$"""
            Prepare a Contree environment for this task, reusing what already exists.

            1. `{{T("list_images")}}(tag_prefix="{{scope}}/")` — an image tagged `{{tag}}` may already exist; then skip to step 6.
            2. Prefer reusing any base: a Python-ready image or Ubuntu (`{{T("list_images")}}(tag_prefix="python")`, `tag_prefix="ubuntu"`).
            3. If only Ubuntu exists, install Python once (`disposable=false`) and tag it.
            4. Only if nothing suitable exists: `{{T("import_image")}}(registry_url="docker://docker.io/library/{{@base}}")`.
            5. `{{T("run")}}(command="pip install {{(string.IsNullOrWhiteSpace(packages) ? "<required packages>" : packages)}}", image=<base>, disposable=false)`,
               then `{{T("set_tag")}}(image_uuid=<result_image>, tag="{{tag}}")`.
            6. Run the task with `{{T("run")}}(image="tag:{{tag}}", ...)`.

            Task details:
            - Task: {{task}}
            - Base image: {{@base}}{{packagesLine}}
            - Scope: {{scope}} {{scopeNote}}
            - Suggested tag: {{tag}}

            {{NetworkNote}}

            {{TaggingRules}}
            """);
    }

    /// <summary>
    /// "custom-env", or the first package's name + "-env": the first whitespace-separated word cut at "==" and then at
    /// "[" (numpy==1.2 → numpy-env, uvicorn[standard] → uvicorn-env).
    /// </summary>
    internal static string Purpose(string? packages)
    {
        var first = (packages ?? "").Split((char[])[' ', '\t', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (first is null)
        {
            return "custom-env";
        }

        var eq = first.IndexOf("==", StringComparison.Ordinal);
        if (eq >= 0)
        {
            first = first[..eq];
        }

        var bracket = first.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            first = first[..bracket];
        }

        return first.Length == 0 ? "custom-env" : first + "-env";
    }
}
