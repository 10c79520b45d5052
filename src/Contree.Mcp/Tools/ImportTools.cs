using System.ComponentModel;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Core.References;
using Contree.Mcp.Operations;
using Contree.Mcp.Registry;
using Contree.Mcp.Rendering;
using Contree.Mcp.Results;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tools;

/// <summary>import_image (docs/tools.md): pulls an OCI image into a new Contree image.</summary>
[McpServerToolType]
internal sealed class ImportTools(
    IContreeBackend backend, OperationTracker tracker, RegistryCredentialStore credentials, IOptions<ContreeMcpOptions> options)
{
    private static readonly string[] LocalSchemes = ["oci:", "oci-archive:", "docker-archive:"];

    [McpServerTool(Name = "import_image", Title = "Import an OCI image", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = true, UseStructuredContent = true)]
    [Description("Import an image from a registry.")]
    public async Task<OperationView> ImportImageAsync(
        [Description("Source of the image: docker://[registry/]name[:tag|@digest] (e.g. docker://docker.io/library/alpine:latest, docker://ghcr.io/owner/image:tag), or a local oci:/path[:ref], oci-archive:/path.tar or docker-archive:/path.tar.")] string registry_url,
        [Description("Tag to give the imported image, e.g. 'common/base/alpine:latest'.")] string? tag = null,
        [Description("True: wait until the import finishes. False: return {operation_id} at once.")] bool wait = true,
        [Description("Set true to import from a remote registry without stored credentials (anonymous pulls may be rate limited). Not needed for local sources or loopback/insecure registries.")] bool i_accept_that_anonymous_access_might_be_rate_limited = false,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(registry_url))
        {
            throw ContreeException.InvalidArgument("registry_url must not be empty");
        }

        var url = registry_url.Trim();
        var credential = new ImageCredentials();
        if (!IsLocalSource(url))
        {
            var reference = OciReference.Parse(url);
            var stored = credentials.Get(reference.Registry);
            if (stored is not null)
            {
                credential = new ImageCredentials { Username = stored.Username, Password = stored.Token };
            }
            else if (!i_accept_that_anonymous_access_might_be_rate_limited && !reference.IsLoopback && !IsInsecure(reference.Registry))
            {
                var prefix = options.Value.ToolPrefix;
                throw ContreeException.Unauthorized(
                    $"Not authenticated with '{reference.Registry}'. First run {prefix}registry_token_obtain(registry_url='{url}') " +
                    $"to create a read-only token, then {prefix}registry_auth(registry_url='{url}', username='...', token='...'). " +
                    "Or retry with i_accept_that_anonymous_access_might_be_rate_limited=true to pull anonymously.");
            }
        }

        var operationId = await backend.ImportImageAsync(
            new ImportImageMetadata
            {
                Registry = new ImageRegistry { Url = url, Credentials = credential },
                Tag = string.IsNullOrWhiteSpace(tag) ? null : tag.Trim(),
            },
            cancellationToken);
        tracker.Track(operationId);
        if (!wait)
        {
            return new OperationView { OperationId = operationId };
        }

        return OperationRenderer.Render(await OperationWaiting.WaitOrCancelAsync(tracker, operationId, cancellationToken));
    }

    internal static bool IsLocalSource(string url) =>
        !url.StartsWith("oci://", StringComparison.OrdinalIgnoreCase)
        && LocalSchemes.Any(scheme => url.StartsWith(scheme, StringComparison.OrdinalIgnoreCase));

    private bool IsInsecure(string registry) =>
        options.Value.InsecureRegistries.Any(r => string.Equals(r, registry, StringComparison.OrdinalIgnoreCase));
}
