namespace Contree.Engine.Storage;

/// <summary>
/// Committed layers under <c>layers/&lt;id&gt;/fs</c> (ids are 32 hex digits), recorded in the <c>layers</c>
/// table. Layers are built in <c>staging/</c> on the same filesystem and committed by one rename, so a reader
/// never sees a half-built layer and committing a run's upper costs O(1).
/// </summary>
internal sealed class LayerStore : ILayerStore
{
    private readonly EnginePaths _paths;
    private readonly EngineDatabase _database;
    private readonly TimeProvider _time;

    // Serialises "is there a layer for this digest? then rename and record" so concurrent imports of the same
    // layer keep exactly one copy.
    private readonly Lock _commitGate = new();

    public LayerStore(EnginePaths paths, EngineDatabase database, TimeProvider time)
    {
        _paths = paths;
        _database = database;
        _time = time;
    }

    public string? FindBySource(string sourceDigest) =>
        _database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT id FROM layers WHERE source_digest = $d";
            command.Parameters.AddWithValue("$d", sourceDigest);
            return command.ExecuteScalar() as string;
        });

    public async Task<string> CreateAsync(string sourceDigest, Func<string, CancellationToken, Task> populate, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceDigest);
        ArgumentNullException.ThrowIfNull(populate);
        if (FindBySource(sourceDigest) is { } existing)
        {
            return existing;
        }

        var staging = CreateStagingDirectory();
        try
        {
            await populate(Path.Combine(staging, "fs"), cancellationToken);
            lock (_commitGate)
            {
                if (FindBySource(sourceDigest) is { } raced)
                {
                    DeleteTree(staging);
                    return raced;
                }

                return CommitStaged(staging, sourceDigest);
            }
        }
        catch
        {
            DeleteTree(staging);
            throw;
        }
    }

    public string CommitDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"layer directory '{directory}' does not exist");
        }

        if (!OnLayerFileSystem(directory))
        {
            // A run with a disk limit wrote to its own file system: copy what it changed, O(changes) still.
            var staging = CreateStagingDirectory();
            try
            {
                Directory.Delete(Path.Combine(staging, "fs"));
                TreeCopy.Copy(directory, Path.Combine(staging, "fs"));
                return CommitStaged(staging);
            }
            catch
            {
                DeleteTree(staging);
                throw;
            }
        }

        var id = NewId();
        var layerDir = Path.Combine(_paths.Layers, id);
        Directory.CreateDirectory(layerDir);
        try
        {
            Directory.Move(directory, Path.Combine(layerDir, "fs"));
        }
        catch
        {
            DeleteTree(layerDir);
            throw;
        }

        Record(id, null);
        return id;
    }

    private bool OnLayerFileSystem(string directory) =>
        Inspect.HostFs.Lstat(directory).Device == Inspect.HostFs.Lstat(_paths.Layers).Device;

    public string GetDirectory(string layerId)
    {
        if (!IsValidId(layerId))
        {
            throw new ArgumentException($"layer id must be 32 hex digits, got: '{layerId}'", nameof(layerId));
        }

        return Path.Combine(_paths.Layers, layerId, "fs");
    }

    /// <summary>
    /// Makes <c>staging/&lt;random&gt;</c> with an empty <c>fs</c> directory (0755) inside; returns the outer
    /// directory. Commit it with <see cref="CommitStaged"/> or delete it.
    /// </summary>
    public string CreateStagingDirectory()
    {
        var staging = Path.Combine(_paths.Staging, EnginePaths.NewTempName());
        Directory.CreateDirectory(Path.Combine(staging, "fs"));
        File.SetUnixFileMode(Path.Combine(staging, "fs"), (UnixFileMode)0b111_101_101);
        return staging;
    }

    /// <summary>Renames a staging directory (from <see cref="CreateStagingDirectory"/>) into place and records it.</summary>
    public string CommitStaged(string staging, string? sourceDigest = null)
    {
        var id = NewId();
        Directory.Move(staging, Path.Combine(_paths.Layers, id));
        Record(id, sourceDigest);
        return id;
    }

    /// <summary>True when the layer is recorded and its directory exists.</summary>
    public bool Exists(string layerId) =>
        IsValidId(layerId) && Directory.Exists(GetDirectory(layerId)) && _database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT 1 FROM layers WHERE id = $id";
            command.Parameters.AddWithValue("$id", layerId);
            return command.ExecuteScalar() is not null;
        });

    public static bool IsValidId(string? id) => id is { Length: 32 } && id.All(char.IsAsciiHexDigitLower);

    /// <summary>Deletes a directory tree without following symlinks; missing is fine.</summary>
    public static void DeleteTree(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    /// <summary>
    /// Deletes layer directories that a crash left between their rename into <c>layers/</c> and their row: nothing
    /// refers to them. A directory that an image names is kept even without its row. Only while no operation is live.
    /// </summary>
    public int DeleteUnrecorded()
    {
        if (!Directory.Exists(_paths.Layers))
        {
            return 0;
        }

        var known = _database.Read(c =>
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            using var command = c.CreateCommand();
            command.CommandText = "SELECT id FROM layers UNION SELECT value FROM images, json_each(images.layers)";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        });
        var deleted = 0;
        foreach (var directory in Directory.EnumerateDirectories(_paths.Layers))
        {
            var id = Path.GetFileName(directory);
            if (IsValidId(id) && !known.Contains(id))
            {
                DeleteTree(directory);
                deleted++;
            }
        }

        return deleted;
    }

    private static string NewId() => Guid.NewGuid().ToString("N");

    private void Record(string id, string? sourceDigest) =>
        _database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = "INSERT INTO layers (id, source_digest, created_at) VALUES ($id, $d, $at)";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$d", (object?)sourceDigest ?? DBNull.Value);
            command.Parameters.AddWithValue("$at", Timestamps.Format(_time.GetUtcNow()));
            command.ExecuteNonQuery();
        });
}
