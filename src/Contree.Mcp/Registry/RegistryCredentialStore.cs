using System.Security.Cryptography;
using System.Text.Json;
using Contree.Core.Errors;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Registry;

/// <summary>
/// Registry credentials in a JSON file readable only by the owner (mode 0600, parent directory 0700), replaced
/// atomically on every change. Kept out of the general cache so that they are not pruned with it or stored next to
/// cached data. Tokens are never logged.
/// </summary>
internal sealed class RegistryCredentialStore
{
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode DirectoryMode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private readonly Lock _lock = new();

    public RegistryCredentialStore(IOptions<ContreeMcpOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Path = System.IO.Path.GetFullPath(options.Value.RegistryCredentialsPath);
    }

    /// <summary>Absolute path of the credentials file.</summary>
    public string Path { get; }

    /// <summary>The credentials stored for <paramref name="registry"/> (a host such as <c>docker.io</c>), or null.</summary>
    public RegistryCredential? Get(string registry)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        lock (_lock)
        {
            return Load().GetValueOrDefault(registry.ToLowerInvariant());
        }
    }

    /// <summary>Adds or replaces the credentials of <see cref="RegistryCredential.Registry"/>.</summary>
    public void Save(RegistryCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        lock (_lock)
        {
            var all = Load();
            all[credential.Registry.ToLowerInvariant()] = credential with { Registry = credential.Registry.ToLowerInvariant() };
            Write(all);
        }
    }

    /// <summary>Removes the credentials of <paramref name="registry"/>; false when there were none.</summary>
    public bool Remove(string registry)
    {
        ArgumentException.ThrowIfNullOrEmpty(registry);
        lock (_lock)
        {
            var all = Load();
            if (!all.Remove(registry.ToLowerInvariant()))
            {
                return false;
            }

            Write(all);
            return true;
        }
    }

    private Dictionary<string, RegistryCredential> Load()
    {
        try
        {
            using var stream = File.OpenRead(Path);
            var file = JsonSerializer.Deserialize<CredentialFile>(stream, Json);
            return (file?.Credentials ?? []).Where(c => !string.IsNullOrEmpty(c.Registry))
                .ToDictionary(c => c.Registry.ToLowerInvariant(), c => c with { Scopes = c.Scopes ?? ["pull"] }, StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new(StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            // JsonException names the position, never the content, so no token can leak into the message.
            throw ContreeException.Internal($"registry credentials file '{Path}' is not valid JSON ({ex.Path}, line {ex.LineNumber}); fix or delete it", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ContreeException.Internal($"cannot read registry credentials file '{Path}': {ex.Message}", ex);
        }
    }

    private void Write(Dictionary<string, RegistryCredential> all)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            Directory.CreateDirectory(directory, DirectoryMode0700);
            using (var stream = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode0600,
            }))
            {
                JsonSerializer.Serialize(stream, new CredentialFile([.. all.Values.OrderBy(c => c.Registry, StringComparer.Ordinal)]), Json);
                stream.Flush(flushToDisk: true);
            }

            // UnixCreateMode is filtered by the umask; make sure the file is exactly 0600 before it becomes visible.
            File.SetUnixFileMode(temp, FileMode0600);
            File.Move(temp, Path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // Best effort; the write failure is what matters.
            }

            throw ContreeException.Internal($"cannot write registry credentials file '{Path}': {ex.Message}", ex);
        }
    }

    private sealed record CredentialFile(IReadOnlyList<RegistryCredential> Credentials);
}
