using System.Globalization;
using Contree.Core.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Sync;

/// <summary>
/// The file-sync cache <c>files.db</c> (docs/rsync.md): directory states of <c>rsync</c> and a path → content-hash cache.
/// </summary>
/// <remarks>
/// Unlike the original, every <c>directory_state_file</c> row carries the local relative path and stat it was synced
/// from, so a state's synced set is exactly its directory's files (the original joined to
/// <c>files</c> on the content UUID and pulled in foreign paths). Microsoft.Data.Sqlite runs async methods
/// synchronously, so this class is synchronous; each call opens a pooled connection, which makes it thread-safe.
/// </remarks>
internal sealed partial class FileSyncCache
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly Lock _initLock = new();
    private volatile bool _initialized;

    public FileSyncCache(IOptions<ContreeMcpOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        Path = System.IO.Path.GetFullPath(options.Value.FileCachePath);
        _time = time;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Absolute path of the database file.</summary>
    public string Path { get; }

    /// <summary>The state with its files (for <c>run</c>), or null when no state has this id.</summary>
    public DirectoryState? GetDirectoryState(long id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT destination FROM directory_state WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        if (command.ExecuteScalar() is not string destination)
        {
            return null;
        }

        command.CommandText = "SELECT uuid, target_path, target_mode FROM directory_state_file WHERE state_id = $id ORDER BY target_path";
        var files = new List<DirectoryStateFile>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                files.Add(new DirectoryStateFile(reader.GetString(0), reader.GetString(1), reader.GetInt32(2) & 0xFFF));
            }
        }

        return new DirectoryState(id, destination, files);
    }

    /// <summary>The state with this UUIDv5 identity, with the local stat of every file, or null.</summary>
    public StoredDirectoryState? FindState(string stateUuid)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, updated_at FROM directory_state WHERE uuid = $uuid";
        command.Parameters.AddWithValue("$uuid", stateUuid);
        long id;
        DateTimeOffset? validatedAt;
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            id = reader.GetInt64(0);
            validatedAt = reader.IsDBNull(1) ? null : ParseTimestamp(reader.GetString(1));
        }

        command.CommandText = """
            SELECT local_path, size, mtime, mode, sha256, uuid FROM directory_state_file
            WHERE state_id = $id AND local_path IS NOT NULL ORDER BY local_path
            """;
        command.Parameters.AddWithValue("$id", id);
        var files = new List<SyncedFile>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                files.Add(new SyncedFile(
                    reader.GetString(0),
                    new LocalFileState(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt32(3)),
                    reader.GetString(4),
                    reader.GetString(5)));
            }
        }

        return new StoredDirectoryState(id, validatedAt, files);
    }

    /// <summary>
    /// Creates the state or replaces its files, in one transaction, and returns its id. <paramref name="validatedAt"/>
    /// (the last time every file's content was confirmed on the backend) is written only when given.
    /// </summary>
    public long SaveState(string stateUuid, string destination, IReadOnlyList<SyncedFile> files, DateTimeOffset? validatedAt)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var now = FormatTimestamp(_time.GetUtcNow());
        command.CommandText = """
            INSERT INTO directory_state(uuid, name, destination, created_at, updated_at) VALUES ($uuid, NULL, $destination, $now, $validated)
            ON CONFLICT(uuid) DO UPDATE SET destination = excluded.destination, updated_at = COALESCE($validated, updated_at)
            RETURNING id
            """;
        command.Parameters.AddWithValue("$uuid", stateUuid);
        command.Parameters.AddWithValue("$destination", destination);
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$validated", validatedAt is { } v ? FormatTimestamp(v) : DBNull.Value);
        var id = (long)command.ExecuteScalar()!;

        command.Parameters.Clear();
        command.CommandText = "DELETE FROM directory_state_file WHERE state_id = $id";
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();

        command.CommandText = """
            INSERT INTO directory_state_file(state_id, uuid, target_path, target_mode, local_path, size, mtime, mode, sha256)
            VALUES ($id, $uuid, $target, $mode, $local, $size, $mtime, $mode, $sha)
            """;
        var uuid = command.Parameters.Add("$uuid", SqliteType.Text);
        var target = command.Parameters.Add("$target", SqliteType.Text);
        var mode = command.Parameters.Add("$mode", SqliteType.Integer);
        var local = command.Parameters.Add("$local", SqliteType.Text);
        var size = command.Parameters.Add("$size", SqliteType.Integer);
        var mtime = command.Parameters.Add("$mtime", SqliteType.Integer);
        var sha = command.Parameters.Add("$sha", SqliteType.Text);
        foreach (var file in files)
        {
            uuid.Value = file.FileUuid;
            target.Value = TargetPath(destination, file.RelativePath);
            mode.Value = file.Stat.Mode;
            local.Value = file.RelativePath;
            size.Value = file.Stat.Size;
            mtime.Value = file.Stat.MtimeNs;
            sha.Value = file.Sha256;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return id;
    }

    /// <summary>Marks every file of the state as confirmed on the backend now.</summary>
    public void MarkValidated(long stateId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE directory_state SET updated_at = $now WHERE id = $id";
        command.Parameters.AddWithValue("$now", FormatTimestamp(_time.GetUtcNow()));
        command.Parameters.AddWithValue("$id", stateId);
        command.ExecuteNonQuery();
    }

    /// <summary>The content hash recorded for an absolute local path when its stat still matches, else null.</summary>
    public string? GetKnownHash(string absolutePath, LocalFileState stat)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sha256 FROM files WHERE path = $path AND size = $size AND mtime = $mtime AND mode = $mode";
        command.Parameters.AddWithValue("$path", absolutePath);
        command.Parameters.AddWithValue("$size", stat.Size);
        command.Parameters.AddWithValue("$mtime", stat.MtimeNs);
        command.Parameters.AddWithValue("$mode", stat.Mode);
        return command.ExecuteScalar() as string;
    }

    /// <summary>Records the content hash and uploaded UUID of an absolute local path (table <c>files</c>).</summary>
    public void RecordFile(string absolutePath, LocalFileState stat, string sha256, string fileUuid) =>
        RecordFiles([(absolutePath, stat, sha256, fileUuid)]);

    /// <summary>
    /// Records many files in one transaction: a sync of 10,000 new files would otherwise pay one WAL commit (an
    /// fsync) per file.
    /// </summary>
    public void RecordFiles(IReadOnlyCollection<(string AbsolutePath, LocalFileState Stat, string Sha256, string FileUuid)> files)
    {
        if (files.Count == 0)
        {
            return;
        }

        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO files(path, size, mtime, ino, mode, sha256, uuid, created_at, updated_at)
            VALUES ($path, $size, $mtime, 0, $mode, $sha, $uuid, $now, $now)
            ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, mode = excluded.mode,
                sha256 = excluded.sha256, uuid = excluded.uuid, updated_at = excluded.updated_at
            """;
        var path = command.Parameters.Add("$path", SqliteType.Text);
        var size = command.Parameters.Add("$size", SqliteType.Integer);
        var mtime = command.Parameters.Add("$mtime", SqliteType.Integer);
        var mode = command.Parameters.Add("$mode", SqliteType.Integer);
        var sha = command.Parameters.Add("$sha", SqliteType.Text);
        var uuid = command.Parameters.Add("$uuid", SqliteType.Text);
        command.Parameters.AddWithValue("$now", FormatTimestamp(_time.GetUtcNow()));
        foreach (var file in files)
        {
            path.Value = file.AbsolutePath;
            size.Value = file.Stat.Size;
            mtime.Value = file.Stat.MtimeNs;
            mode.Value = file.Stat.Mode;
            sha.Value = file.Sha256;
            uuid.Value = file.FileUuid;
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>"&lt;destination&gt;/&lt;relative path&gt;", with a root destination giving "/&lt;relative path&gt;".</summary>
    internal static string TargetPath(string destination, string relativePath) =>
        destination == "/" ? "/" + relativePath : destination + "/" + relativePath;

    /// <summary>SQLite CURRENT_TIMESTAMP text (UTC <c>YYYY-MM-DD HH:MM:SS</c>), written from the injected clock.</summary>
    private static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseTimestamp(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;

    private SqliteConnection Open()
    {
        if (!_initialized)
        {
            // Not Lazy<T>: a failed initialisation (e.g. a read-only directory) must be retried on the next call.
            lock (_initLock)
            {
                if (!_initialized)
                {
                    Initialize();
                    _initialized = true;
                }
            }
        }

        return OpenRaw();
    }

    private SqliteConnection OpenRaw()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            // synchronous is per connection; NORMAL (WAL) skips the fsync per commit and cannot corrupt the cache.
            pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw ContreeException.Internal($"cannot open the file-sync cache '{Path}': {ex.Message}", ex);
        }
    }
}
