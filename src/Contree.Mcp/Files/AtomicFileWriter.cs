using System.Security.Cryptography;

namespace Contree.Mcp.Files;

/// <summary>
/// Writes a stream to a local file atomically: the data goes to
/// <c>.download-&lt;random&gt;.tmp</c>, created exclusively (O_EXCL) in the destination's directory, is fsynced, and is
/// renamed over the destination (rename(2) replaces atomically within one filesystem). On any failure — a stream error,
/// cancellation, a failed rename such as a destination that is a directory — the temporary file is removed, the
/// original exception propagates, and a pre-existing destination keeps its content.
/// </summary>
internal static class AtomicFileWriter
{
    /// <summary>Prefix of the temporary files; a crash can leave one behind, never a partial destination.</summary>
    public const string TempPrefix = ".download-";

    private const int BufferSize = 81920;

    /// <summary>
    /// Copies <paramref name="source"/> to <paramref name="destination"/> and returns the byte count. The parent
    /// directory must exist. <paramref name="adjustMode"/> may change the permission bits before the file appears.
    /// </summary>
    public static async Task<long> WriteAsync(
        string destination,
        Stream source,
        Func<UnixFileMode, UnixFileMode>? adjustMode = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        destination = Path.GetFullPath(destination);
        var directory = Path.GetDirectoryName(destination) ?? throw new IOException($"'{destination}' has no parent directory");
        cancellationToken.ThrowIfCancellationRequested();

        var (tempPath, temp) = CreateTemp(directory);
        try
        {
            long total = 0;
            await using (temp)
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await temp.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    total += read;
                }

                await temp.FlushAsync(cancellationToken);
                temp.Flush(flushToDisk: true);
            }

            if (adjustMode is not null)
            {
                File.SetUnixFileMode(tempPath, adjustMode(File.GetUnixFileMode(tempPath)));
            }

            if (Directory.Exists(destination))
            {
                // rename(2) would fail with EISDIR too, but with a message that does not name the destination.
                throw new IOException($"destination '{destination}' is a directory");
            }

            File.Move(tempPath, destination, overwrite: true);
            return total;
        }
        catch
        {
            TryDelete(tempPath);
            throw;
        }
    }

    private static (string Path, FileStream Stream) CreateTemp(string directory)
    {
        for (var attempt = 0; ; attempt++)
        {
            var path = Path.Combine(directory, TempPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) + ".tmp");
            try
            {
                var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, // O_CREAT | O_EXCL: never reuse or follow an existing name
                    Access = FileAccess.Write,
                    Share = FileShare.None,
                    Options = FileOptions.Asynchronous,
                    BufferSize = 0,
                });
                return (path, stream);
            }
            catch (IOException) when (File.Exists(path) && attempt < 5)
            {
                // A name collision (64 random bits): try another name.
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure is the one worth reporting.
        }
    }
}
