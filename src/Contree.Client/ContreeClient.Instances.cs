using System.Text.Json;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Client;

/// <summary>Instances: spawn (E15).</summary>
internal sealed partial class ContreeClient
{
    public Task<string> SpawnInstanceAsync(InstanceMetadata request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Command))
        {
            throw ContreeException.InvalidArgument("Instance command must not be empty.");
        }

        ApiPaths.Id(request.Image, "image UUID");

        // The Contree service has no allow-list and ignores fields it does not know: sending it would fail open.
        if (request.Networking?.AllowedHosts is not null)
        {
            throw ContreeException.InvalidArgument("allowed_hosts is not available on the cloud backend: the Contree service cannot restrict a run to named hosts. Leave allowed_hosts out (network='internet' or 'none'), or use the local engine (--backend local)");
        }

        // E15: every field is sent, "result": null included. A POST is never resent blindly: a lost
        // answer could otherwise start the command twice.
        var apiRequest = new ApiRequest(HttpMethod.Post, "instances", Retryable: false)
        {
            Content = () => JsonContent(JsonSerializer.SerializeToUtf8Bytes(request, ContreeJsonContext.Default.InstanceMetadata)),
        };
        return SendAsync(apiRequest, (response, ct) => ReadOperationIdAsync(response, apiRequest, "spawn_instance", ct), cancellationToken);
    }
}
