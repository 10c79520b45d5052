using Contree.Core;

namespace Contree.Mcp.Guides;

/// <summary>
/// The text sent as <c>initialize.instructions</c> (docs/guides.md), rewritten for this product: tool names carry the
/// configured prefix and the cost table is true for the backend flavor.
/// </summary>
public static class ServerInstructions
{
    private const string Template = """
        # Contree: isolated sandboxes on immutable images

        {{text:engine}} Every filesystem state is an image with a UUID; any image can be branched from.

        ## MANDATORY WORKFLOW

        Every task follows these steps:

        1. **CHECK** for a prepared environment: `{{tool:list_images}}(tag_prefix="common/")`.
        2. **PREPARE** one only if nothing suitable exists:
           - `{{tool:import_image}}(registry_url="docker://python:3.11-slim")` (only when no base image exists),
           - `{{tool:run}}(command="pip install ...", image="<uuid>", disposable=false)` — `disposable=false` keeps the installation,
           - `{{tool:set_tag}}(image_uuid="<result_image>", tag="common/python-ml/python:3.11-slim")`.
        3. **EXECUTE**: `{{tool:run}}(command="...", image="tag:common/python-ml/python:3.11-slim")`.

        A run's `status` is `SUCCESS` when the sandbox ran; the command's outcome is `exit_code`.

        ## Network

        {{text:network}} Pass `network="none"` for code that needs no network.

        ## Tagging convention

        `{scope}/{purpose}/{base}:{tag}` — scope is `common` or the project name; purpose says what was added
        (`rust-toolchain`, `python-ml`, `web-deps`); base is the original image (`ubuntu:noble`, `python:3.11-slim`).
        Examples: `common/rust-toolchain/ubuntu:noble`, `common/python-ml/python:3.11-slim`, `myproject/dev-env/python:3.11-slim`.

        ## Never do

        | Don't | Do instead |
        |---|---|
        | import without checking | `{{tool:list_images}}` first |
        | leave prepared images untagged | `{{tool:set_tag}}` after installs |
        | chain many install commands in one run | one step per `{{tool:run}}`, each a rollback point |
        | install with `disposable=true` | `disposable=false` |

        ## Tool cost reference

        | Tool | Cost |
        |---|---|
        | `{{tool:run}}` | {{cost:run_short}} |
        | `{{tool:import_image}}` | {{cost:import_short}} |
        | `{{tool:rsync}}`, `{{tool:upload}}`, `{{tool:download}}` | free (file transfer only) |
        | `{{tool:list_images}}`, `{{tool:get_image}}`, `{{tool:set_tag}}` | free |
        | `{{tool:list_files}}`, `{{tool:read_file}}` | free, no sandbox |
        | `{{tool:get_operation}}`, `{{tool:list_operations}}`, `{{tool:wait_operations}}`, `{{tool:cancel_operation}}` | free |
        | `{{tool:registry_token_obtain}}`, `{{tool:registry_auth}}`, `{{tool:get_guide}}` | free |

        Prefer `{{tool:list_files}}`/`{{tool:read_file}}` over `{{tool:run}}("ls")`/`{{tool:run}}("cat")`.

        ## Image inspection (free)

        - `{{tool:list_files}}(image="<uuid>", path="/etc")`
        - `{{tool:read_file}}(image="<uuid>", path="/etc/passwd")`

        ## Guides

        Read them as resources when your runtime supports resources, otherwise with `{{tool:get_guide}}`.

        | Guide | Resource | Tool call |
        |---|---|---|
        | workflow | `contree://guide/workflow` | `{{tool:get_guide}}(section="workflow")` |
        | reference | `contree://guide/reference` | `{{tool:get_guide}}(section="reference")` |
        | quickstart | `contree://guide/quickstart` | `{{tool:get_guide}}(section="quickstart")` |
        | state | `contree://guide/state` | `{{tool:get_guide}}(section="state")` |
        | async | `contree://guide/async` | `{{tool:get_guide}}(section="async")` |
        | tagging | `contree://guide/tagging` | `{{tool:get_guide}}(section="tagging")` |
        | errors | `contree://guide/errors` | `{{tool:get_guide}}(section="errors")` |
        """;

    /// <summary>Renders the instructions for the backend flavor with tool names carrying <paramref name="toolPrefix"/>.</summary>
    public static string Render(BackendFlavor flavor, string toolPrefix)
    {
        ArgumentNullException.ThrowIfNull(toolPrefix);
        return GuideCatalog.Expand(Template, flavor, toolPrefix);
    }
}
