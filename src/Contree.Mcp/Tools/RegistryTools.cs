using System.ComponentModel;
using Contree.Core.Errors;
using Contree.Mcp.Registry;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tools;

/// <summary>Registry credentials for image imports: <c>registry_token_obtain</c> and <c>registry_auth</c> (docs/tools.md).</summary>
[McpServerToolType]
internal sealed class RegistryTools(
    RegistryAuthenticator authenticator,
    RegistryCredentialStore store,
    DesktopBrowser browser,
    TimeProvider time,
    IOptions<ContreeMcpOptions> options)
{
    [McpServerTool(Name = "registry_token_obtain", Title = "Get a registry token page", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Points the user to the page where they create a read-only personal access token (PAT) for a container registry. Free.

        registry_url is parsed as an image reference or a registry host: "docker://ghcr.io/org/image" → ghcr.io,
        "oci://registry.gitlab.com/org/image" → registry.gitlab.com, "alpine", "library/alpine" and "docker://python:3.11-slim" → docker.io.
        Known registries: docker.io, ghcr.io, registry.gitlab.com, gcr.io (and us./eu./asia.gcr.io). Others return status "error"
        (Unknown registry): consult that registry's documentation.
        The page opens in a browser only when the server runs in a desktop session; otherwise give the returned url to the user.

        After calling this tool, STOP and wait for the user to provide their username and token, then call
        registry_auth(registry_url=..., username=..., token=...).

        RETURNS: {status, registry, url, message, agent_instruction}.
        """)]
    public TokenObtainResult RegistryTokenObtain(
        [Description("Image reference or registry host, e.g. docker://ghcr.io/org/image, alpine, registry.gitlab.com.")] string registry_url)
    {
        var registry = RegistryLocation.Parse(registry_url).Registry;
        var url = KnownRegistries.PatUrl(registry);
        if (url is null)
        {
            return new TokenObtainResult(
                "error",
                registry,
                "",
                $"Unknown registry '{registry}': there is no known token page for it. Consult the registry's own documentation on creating an access token, then call {Tool("registry_auth")}.",
                "");
        }

        var opened = browser.TryOpen(url);
        var where = opened
            ? $"Opened {url} in the browser."
            : $"Give the user this link to open in their browser: {url}";
        var message = $"{where} Ask the user to create a read-only (pull) personal access token there and to tell you their username and the token. "
            + $"Then call {Tool("registry_auth")}(registry_url='{registry_url}', username='<username>', token='<token>').";
        var instruction = $"STOP here and wait for the user to provide their {registry} username and access token. Do not call {Tool("import_image")} for this registry until {Tool("registry_auth")} succeeded.";
        return new TokenObtainResult("success", registry, url, message, instruction);
    }

    [McpServerTool(Name = "registry_auth", Title = "Authenticate with a registry", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = true, UseStructuredContent = true)]
    [Description("""
        Checks a registry username and personal access token against the registry's /v2/ API and, when valid, stores them
        (owner-only file on the server) for later image imports. Free; contacts the registry. The token is never echoed back.

        Usage: 1. registry_token_obtain(registry_url=...) 2. the user creates a read-only PAT 3. registry_auth(registry_url=..., username=..., token=...).
        registry_url is parsed like in registry_token_obtain ("alpine" → docker.io, "oci://ghcr.io/org/img" → ghcr.io).

        RETURNS: {status: "success" | "error" | "not_required", registry, message}. "not_required" means the registry answers
        without authentication, so nothing was checked or stored.
        """)]
    public async Task<RegistryAuthResult> RegistryAuth(
        [Description("Image reference or registry host, e.g. docker://ghcr.io/org/image, alpine, registry.gitlab.com.")] string registry_url,
        [Description("Registry username.")] string username,
        [Description("Personal access token (read-only is enough).")] string token,
        CancellationToken cancellationToken = default)
    {
        var location = RegistryLocation.Parse(registry_url);
        if (string.IsNullOrWhiteSpace(username))
        {
            throw ContreeException.InvalidArgument("username is required");
        }

        if (string.IsNullOrEmpty(token))
        {
            throw ContreeException.InvalidArgument("token is required");
        }

        var registry = location.Registry;
        var validation = await authenticator.ValidateAsync(location, username.Trim(), token, cancellationToken);
        switch (validation)
        {
            case RegistryValidation.Valid:
                store.Save(new RegistryCredential(registry, username.Trim(), token, ["pull"], time.GetUtcNow()));
                return new RegistryAuthResult("success", registry, $"Authenticated with '{registry}' as '{username.Trim()}' successfully. The credentials are stored for {Tool("import_image")}.");
            case RegistryValidation.NoAuthRequired:
                return new RegistryAuthResult("not_required", registry, $"Registry '{registry}' answers without authentication, so the credentials could not be checked and were not stored. Import from it directly.");
            default:
                return new RegistryAuthResult("error", registry, $"Invalid credentials for '{registry}'. Verify the username and that the personal access token is valid and allows pulling images.");
        }
    }

    private string Tool(string name) => options.Value.ToolPrefix + name;
}
