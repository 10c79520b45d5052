using Contree.Core;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Tool descriptions written for this product and true for the backend in use: the local engine runs a bubblewrap
/// sandbox on this machine in milliseconds, the cloud starts a microVM in seconds. Tool names inside the text carry
/// the configured prefix. Tools not listed here keep the [Description] of their method.
/// </summary>
internal static class ToolDescriptions
{
    public static string? For(string baseName, BackendFlavor flavor, string prefix)
    {
        var local = flavor == BackendFlavor.Local;
        var runCost = local
            ? "Cost: runs in a bubblewrap sandbox on this machine in milliseconds; no VM is started."
            : "Cost: starts a microVM in the Contree cloud (seconds of startup) for every call.";
        var stateNote = local
            ? "Every image is immutable; branching from any image is cheap (an overlay on this machine)."
            : "Every image is immutable; branching from any image is cheap (a snapshot in the cloud).";
        string P(string name) => prefix + name;
        return baseName switch
        {
            "run" => $$"""
                Run one command in a fresh, isolated sandbox started from an image, as root.
                {{runCost}}
                {{stateNote}} disposable=true (default) throws the changes away; disposable=false saves them as a new image returned in result_image - chain further runs from it, and {{P("set_tag")}} it when you will reuse it.
                Prefer existing images ({{P("list_images")}}); {{P("import_image")}} is the last resort. Put files in first with {{P("rsync")}} (directory_state_id) or {{P("upload")}} (files = {"/container/path": "file-uuid"}). Use env instead of 'export'.
                wait=false returns {operation_id} at once; collect it with {{P("wait_operations")}} or {{P("get_operation")}} to run several commands in parallel.
                Returns: operation_id, status, exit_code, timed_out, stdout, stderr (UTF-8, invalid bytes replaced), stdout_truncated, stderr_truncated, result_image, filesystem_changed, duration_s, resources and error when the operation failed. A non-zero exit_code is a result, not an error.
                Guides: contree://guide/quickstart, contree://guide/async, contree://guide/state.
                """,
            "import_image" => $$"""
                Import an OCI image (docker://registry/name:tag, or a local oci:, oci-archive: or docker-archive: source) as a new Contree image.
                Cost: the most expensive operation - it downloads and unpacks every layer{{(local ? " on this machine" : " in the cloud")}}, which can take minutes. Always check {{P("list_images")}} first, and prefer building on an existing base (run with disposable=false, then {{P("set_tag")}}).
                Remote registries need stored credentials: run {{P("registry_token_obtain")}} then {{P("registry_auth")}} once per registry. Anonymous pulls are possible with i_accept_that_anonymous_access_might_be_rate_limited=true but may be rate limited. Local sources and loopback registries need no credentials.
                Examples: docker://docker.io/library/alpine:latest, docker://docker.io/library/python:3.11-slim, docker://ghcr.io/owner/image:tag.
                Returns the operation (status, result_image, result_tag, registry_url, error) or {operation_id} with wait=false. Credentials are never returned. Tag only images you will reuse, as {scope}/{purpose}/{base}.
                Guides: contree://guide/async, contree://guide/tagging.
                """,
            "list_images" => $$"""
                List images, newest first, to find one to run before importing anything ({{P("import_image")}} is the most expensive operation).
                Cost: free; no sandbox is started.
                Filter with tag_prefix (e.g. 'common/python' or 'myproject/'), tagged, since and until; page with limit and offset. The returned uuid can be passed straight to {{P("run")}}.
                Returns: {images: [{uuid, tag, created_at}]} (tag is null when untagged).
                Guide: contree://guide/tagging.
                """,
            "get_image" => $$"""
                Look up one image by UUID or by 'tag:<name>' (e.g. tag:common/python-ml/python:3.11-slim) to check it exists or to resolve a tag to its UUID.
                Cost: free; no sandbox is started.
                Returns: {uuid, tag, created_at}; an unknown image or tag is an error.
                Guide: contree://guide/quickstart.
                """,
            "set_tag" => $$"""
                Give an image a tag so it can be found again in later conversations, or remove its tag.
                Cost: free; no sandbox is started.
                A tag names at most one image: setting it moves it from any other image. Omit tag or pass an empty string to remove the image's tag. Convention: {scope}/{purpose}/{base}, e.g. common/python-ml/python:3.11-slim (scope 'common' or a project name). For one-off use keep the UUID instead.
                Returns: {uuid, tag, created_at} after the change.
                Guide: contree://guide/tagging.
                """,
            "list_files" => $$"""
                List one directory of an image without starting a sandbox - faster than {{P("run")}}("ls").
                Cost: free; instant.
                Returns: {path, count, files: [{name, path (absolute), type (file|directory|symlink|socket|fifo), size, mode (e.g. "0o755"), owner, group, mtime, target (symlinks)}]}.
                Guide: contree://guide/reference.
                """,
            "read_file" => $$"""
                Read a file of an image without starting a sandbox - faster than {{P("run")}}("cat").
                Cost: free; instant.
                UTF-8 files come back as text (encoding "utf-8"), anything else as base64 (encoding "base64"). At most max_bytes (default 1 MiB) are returned; truncated is true when the file is longer and bytes_size is always the full size.
                Returns: {path, content, encoding, bytes_size, truncated?}.
                Guide: contree://guide/reference.
                """,
            "get_operation" => $$"""
                Get the state or result of one operation, e.g. one started with wait=false. For several operations prefer {{P("wait_operations")}}.
                Cost: free.
                Returns the flat operation shape: for runs operation_id, kind, status, exit_code, timed_out, stdout, stderr, *_truncated, result_image, filesystem_changed, duration_s, resources, error; for imports operation_id, kind, status, result_image, result_tag, registry_url, error. Process fields appear once the run finished.
                Guide: contree://guide/async.
                """,
            "list_operations" => $$"""
                List recent operations, newest first, to monitor background work or review history.
                Cost: free.
                Filter by status (PENDING, ASSIGNED, EXECUTING, SUCCESS, FAILED, CANCELLED), type (instance or image_import) and since.
                Returns: {operations: [{operation_id, kind, status, error, created_at}]}.
                Guide: contree://guide/async.
                """,
            "wait_operations" => $$"""
                Wait for several operations started with wait=false, within one timeout for the whole call.
                Cost: free.
                mode=all waits for every operation; mode=any returns when the first finishes and cancels the others.
                Returns: {results: {id: flat operation}, completed: [ids in completion order], cancelled: [ids cancelled because mode=any, now CANCELLED], stopping: [ids asked to cancel that had not stopped within a few seconds], timed_out: [ids still running at the timeout]}. Operations this call cancelled are in results with their real state. Timed-out operations are NOT cancelled: they keep running; wait again or {{P("cancel_operation")}} them. An id that cannot be read appears in results with only error set.
                Guide: contree://guide/async.
                """,
            "cancel_operation" => $$"""
                Cancel a pending or running operation, e.g. a stuck command or a slow import.
                Cost: free; waits up to 5 s for the operation to stop. A finished operation is left as it is.
                Returns: {operation_id, cancelled, status, message?}: the real state after the cancel. cancelled is true only when status is CANCELLED (stopped; on the local engine its sandbox processes are gone). Otherwise message says why: it had already ended (status SUCCESS or FAILED), or it has not stopped yet (status still PENDING, ASSIGNED or EXECUTING; check again with {{P("get_operation")}}).
                Guide: contree://guide/async.
                """,
            _ => null,
        };
    }
}
