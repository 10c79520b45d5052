using System.ComponentModel;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Prompts;

/// <summary>
/// The ten prompts (docs/guides.md). Templates are C# raw string literals, whose indentation is removed at compile time, so
/// arguments are interpolated into already-dedented text and multi-line <c>code</c> or <c>tasks</c> stay intact.
/// Tool names carry the configured prefix.
/// </summary>
[McpServerPromptType]
internal sealed partial class ContreePrompts(IOptions<ContreeMcpOptions> options)
{
    private string T(string tool) => options.Value.ToolPrefix + tool;

    /// <summary>What every prompt that installs says about the network (the tool description and the guides say more).</summary>
    private const string NetworkNote = """
        Network: installs need one. A run has `network="internet"` unless the server's default is `none`; pass it to be sure.
        To reach only the package index, pass `allowed_hosts` instead (e.g. `["pypi.org", "*.pythonhosted.org"]`; local engine).
        Steps that need no network (tests, builds of fetched code) are safest with `network="none"`.
        """;

    [McpServerPrompt(Name = "run-python", Title = "Run Python code")]
    [Description("Run Python code in an isolated container, reusing an existing Python-ready image.")]
    public string RunPython(
        [Description("Python source code to run; may span several lines.")] string code) => Finish($$"""
        Run this Python code in an isolated Contree container. Avoid `{{T("import_image")}}` unless no suitable base image exists: it is the most expensive operation.

        1. Look for a Python-ready image: `{{T("list_images")}}(tag_prefix="common/python")`, then `{{T("list_images")}}(tag_prefix="python")`.
        2. If there is none, look for Ubuntu: `{{T("list_images")}}(tag_prefix="ubuntu")`. If Ubuntu exists, install Python once with
           `{{T("run")}}(command="apt-get update && apt-get install -y python3 python3-pip", image=<ubuntu uuid>, disposable=false)`
           and tag the result: `{{T("set_tag")}}(image_uuid=<result_image>, tag="common/python/ubuntu:22.04")`.
        3. Only if nothing suitable exists: `{{T("import_image")}}(registry_url="docker://docker.io/library/ubuntu:22.04", tag="ubuntu:22.04")`, then step 2's install.
        4. Run the code with `{{T("run")}}` on the chosen image (UUID or `tag:`), for example `command="python3 -c ..."` or by uploading it with `{{T("upload")}}` and passing `files`.

        ```python
        {{code}}
        ```
        """);

    [McpServerPrompt(Name = "run-shell", Title = "Run a shell command")]
    [Description("Run a shell command in an isolated container.")]
    public string RunShell(
        [Description("Shell command to run.")] string command,
        [Description("Base image name and tag, e.g. ubuntu:noble.")] string image = "ubuntu:noble") => Finish($$"""
        Run a shell command in an isolated Contree container using image `{{image}}`.

        1. Prefer an existing image: `{{T("list_images")}}(tag_prefix="{{ImageName(image)}}")`. If a suitable one exists, use it by UUID or as `tag:{{image}}`.
        2. Only if none exists: `{{T("import_image")}}(registry_url="docker://docker.io/library/{{image}}", tag="{{image}}")`.
        3. Execute the command with `{{T("run")}}`:

        ```bash
        {{command}}
        ```
        """);

    [McpServerPrompt(Name = "sync-and-run", Title = "Sync files and run")]
    [Description("Sync local files into a container and run a command.")]
    public string SyncAndRun(
        [Description("Absolute path of the local directory to sync (on the machine running the server).")] string source,
        [Description("Command to run in /app after the sync.")] string command,
        [Description("Base image name and tag, e.g. alpine:latest.")] string image = "alpine:latest") => Finish($$"""
        Sync local files into a Contree container and run a command.

        1. `{{T("rsync")}}(source="{{source}}", destination="/app", exclude=["__pycache__", ".git", "node_modules", ".venv"])` — `source` must be an absolute path. Keep the returned `directory_state_id`.
        2. Choose an image: prefer a Python-ready image (`tag:{{image}}`) or a tagged Ubuntu+Python image found with `{{T("list_images")}}`.
           If only Ubuntu exists, install Python once (`disposable=false`) and tag the result. Import only if no suitable image exists.
        3. `{{T("run")}}(image=<chosen image>, directory_state_id=<id from step 1>, cwd="/app")` with:

        ```bash
        {{command}}
        ```
        """);

    [McpServerPrompt(Name = "install-packages", Title = "Install packages into a reusable image")]
    [Description("Install packages and create a reusable image.")]
    public string InstallPackages(
        [Description("Packages to install with pip, separated by spaces.")] string packages,
        [Description("Base image name and tag, e.g. ubuntu:noble.")] string image = "ubuntu:noble") => Finish($$"""
        Install packages and create a reusable Contree image.

        1. Prefer existing images and avoid `{{T("import_image")}}`: search with `{{T("list_images")}}`. If only Ubuntu exists, install Python once
           (`disposable=false`) and tag it, e.g. `common/python/ubuntu:noble`.
        2. Use base `{{image}}` (or the tagged Ubuntu+Python image).
        3. `{{T("run")}}(command="pip install {{packages}}", image=<base>, disposable=false)`.
        4. Use the returned `result_image`, or tag it with `{{T("set_tag")}}` for reuse.

        {{NetworkNote}}

        {{TaggingRules}}
        """);

    [McpServerPrompt(Name = "parallel-tasks", Title = "Run tasks in parallel")]
    [Description("Run several tasks in parallel and wait for all of them.")]
    public string ParallelTasks(
        [Description("Tasks to run, one per line.")] string tasks,
        [Description("Base image name and tag, e.g. ubuntu:noble.")] string image = "ubuntu:noble") => Finish($$"""
        Run these tasks in parallel in Contree containers:

        {{tasks}}

        1. Make sure image `{{image}}` exists: `{{T("list_images")}}`; `{{T("import_image")}}` only as a last resort.
        2. For each task call `{{T("run")}}(command=<task>, image=<image>, wait=false)` and collect the returned `operation_id`s.
        3. Call `{{T("wait_operations")}}(operation_ids=[...])` once to collect all results.
        """);

    [McpServerPrompt(Name = "build-project", Title = "Build and test a project")]
    [Description("Install a project's dependencies and run its tests.")]
    public string BuildProject(
        [Description("Absolute path of the local project directory.")] string source,
        [Description("Command that installs the dependencies.")] string install_cmd = "pip install -e .",
        [Description("Command that runs the tests.")] string test_cmd = "pytest") => Finish($$"""
        Build and test the project at {{source}} in Contree.

        1. `{{T("rsync")}}(source="{{source}}", destination="/app", exclude=["__pycache__", ".git", "node_modules", ".venv"])` — `source` must be an absolute path.
        2. Prefer an existing Python-ready image (`{{T("list_images")}}`); if only Ubuntu exists, install Python once and tag it. Import only if none exists.
        3. `{{T("run")}}(command="{{install_cmd}}", image=<base>, directory_state_id=<id>, cwd="/app", disposable=false)`.
        4. `{{T("run")}}(command="{{test_cmd}}", image=<result_image of step 3>, directory_state_id=<id>, cwd="/app")`.

        {{NetworkNote}}
        """);

    [McpServerPrompt(Name = "debug-failure", Title = "Debug a failed operation")]
    [Description("Diagnose a failed command and suggest fixes.")]
    public string DebugFailure(
        [Description("Id of the operation to diagnose.")] string operation_id) => Finish($$"""
        Diagnose the Contree operation {{operation_id}}.

        1. `{{T("get_operation")}}(operation_id="{{operation_id}}")` and check `exit_code`: `status` can be SUCCESS while the command failed.
        2. Read `stderr` and `stdout`; note `timed_out` and `stdout_truncated`/`stderr_truncated`.
        3. Common fixes:
           - image not found → `{{T("list_images")}}`, then `{{T("import_image")}}` as a last resort;
           - bad image reference → use `tag:<name>` or a UUID;
           - directory state not found → run `{{T("rsync")}}` again and use the new `directory_state_id`;
           - timeout → raise `timeout`, or use `wait=false` and `{{T("wait_operations")}}`.
        """);

    [McpServerPrompt(Name = "inspect-image", Title = "Inspect an image")]
    [Description("Explore an image's contents.")]
    public string InspectImage(
        [Description("Image UUID or tag:<name>.")] string image) => Finish($$"""
        Explore the contents of image {{image}}.

        1. Prefer the free tools that start no sandbox: `{{T("list_files")}}(image="{{image}}", path="/")` and `{{T("read_file")}}(image="{{image}}", path="/etc/os-release")`.
        2. If commands are needed, use `{{T("run")}}(image="{{image}}", disposable=true)`, e.g. `cat /etc/os-release` or `which python`.
        """);

    [McpServerPrompt(Name = "multi-stage-build", Title = "Multi-stage build")]
    [Description("Multi-stage build with rollback points.")]
    public string MultiStageBuild(
        [Description("Absolute path of the local project directory.")] string source,
        [Description("Command that installs the dependencies.")] string install_cmd = "pip install -e .",
        [Description("Command that builds the project.")] string build_cmd = "python -m build",
        [Description("Command that runs the tests.")] string test_cmd = "pytest") => Finish($$"""
        Build the project at {{source}} in stages; every stage's `result_image` is a rollback point.

        1. `{{T("rsync")}}(source="{{source}}", destination="/app", exclude=["__pycache__", ".git", "node_modules", ".venv"])`.
        2. Prefer an existing Python-ready image (`{{T("list_images")}}`); if only Ubuntu exists, install Python once and tag it. Import only if none exists.
        3. Install: `{{T("run")}}(command="{{install_cmd}}", image=<base>, directory_state_id=<id>, cwd="/app", disposable=false)` → keep `result_image`.
        4. Build: `{{T("run")}}(command="{{build_cmd}}", image=<install result_image>, cwd="/app", disposable=false)` → keep `result_image`.
        5. Test: `{{T("run")}}(command="{{test_cmd}}", image=<build result_image>, cwd="/app")`.
        Keep each `result_image` UUID: to retry a stage, run it again on the previous stage's image.

        {{NetworkNote}}
        """);

    private static string ImageName(string image)
    {
        var colon = image.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? image : image[..colon];
    }

    private static string Finish(string text) => text.Trim();
}
