using System.Security.Cryptography;
using Contree.Core.Errors;

namespace Contree.Engine.Storage;

/// <summary>
/// Content-addressed blob store (containerd's local content store in small): ingest to <c>ingest/&lt;random&gt;</c>
/// while hashing, fsync, verify, then rename to <c>blobs/sha256/&lt;hex&gt;</c>. Concurrent ingests of the same
/// content each write their own temp file; the rename is atomic, so the blob is whole whichever wins.
/// </summary>
internal sealed class BlobStore : IBlobStore
{
    private const string Sha256Prefix = "sha256:";
    private readonly EnginePaths _paths;

    public BlobStore(EnginePaths paths)
    {
        _paths = paths;
    }

    public string? TryGetPath(string digest)
    {
        if (!TryParseDigest(digest, out var hex))
        {
            return null;
        }

        var path = Path.Combine(_paths.Blobs, hex);
        return File.Exists(path) ? path : null;
    }

    /// <summary>Path of a blob by its hex sha256 (no prefix), or null.</summary>
    public string? TryGetPathByHex(string hex) => TryGetPath(Sha256Prefix + hex);

    public async Task<string> IngestAsync(Stream content, string? expectedDigest = null, long? maxBytes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        string? expectedHex = null;
        if (expectedDigest is not null && !TryParseDigest(expectedDigest, out expectedHex))
        {
            throw ContreeException.InvalidArgument($"digest must be sha256:<64 hex digits>, got: '{expectedDigest}'");
        }

        if (expectedHex is not null && TryGetPathByHex(expectedHex) is not null)
        {
            // Already stored and verified when it was first written; the stream is not needed.
            return Sha256Prefix + expectedHex;
        }

        var temp = Path.Combine(_paths.Ingest, EnginePaths.NewTempName());
        try
        {
            string hex;
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                await using (var output = new FileStream(temp, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew,
                    Access = FileAccess.Write,
                    Options = FileOptions.Asynchronous,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                }))
                {
                    var buffer = new byte[81920];
                    long total = 0;
                    int read;
                    while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        total += read;
                        if (maxBytes is { } max && total > max)
                        {
                            throw ContreeException.InvalidArgument($"content exceeds the limit of {max} bytes");
                        }

                        hash.AppendData(buffer, 0, read);
                        await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }

                    await output.FlushAsync(cancellationToken);
                    // fsync before the rename so a crash never leaves a named blob with missing data.
                    output.Flush(flushToDisk: true);
                }

                hex = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            if (expectedHex is not null && !string.Equals(hex, expectedHex, StringComparison.Ordinal))
            {
                throw ContreeException.InvalidArgument($"content digest mismatch: expected sha256:{expectedHex}, got sha256:{hex}");
            }

            var final = Path.Combine(_paths.Blobs, hex);
            if (File.Exists(final))
            {
                File.Delete(temp);
            }
            else
            {
                File.Move(temp, final, overwrite: true);
            }

            return Sha256Prefix + hex;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Accepts <c>sha256:&lt;64 lower-case hex&gt;</c> (upper case is normalised).</summary>
    public static bool TryParseDigest(string? digest, out string hex)
    {
        hex = "";
        if (digest is null || !digest.StartsWith(Sha256Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        return TryParseHex(digest[Sha256Prefix.Length..], out hex);
    }

    /// <summary>Accepts 64 hex digits; returns them lower case.</summary>
    public static bool TryParseHex(string? text, out string hex)
    {
        hex = "";
        if (text is null || text.Length != 64 || !text.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        hex = text.ToLowerInvariant();
        return true;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
