using Contree.Mcp.Sync;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

using Contree.Tests.Common;

namespace Contree.Mcp.Tests.Sync;

public sealed class FileSyncCacheTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly ManualTimeProvider _time = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private FileSyncCache Create() =>
        new(Options.Create(new ContreeMcpOptions { FileCachePath = _dir.Combine("cache/files.db") }), _time);

    private List<string> Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_dir.Combine("cache/files.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }

    [Fact]
    public void GetDirectoryState_FreshDatabase_CreatesSchemaInWalMode()
    {
        Assert.Null(Create().GetDirectoryState(1));

        var names = Query("SELECT name FROM sqlite_master");
        Assert.Contains("files", names);
        Assert.Contains("directory_state", names);
        Assert.Contains("directory_state_file", names);
        Assert.Contains("idx_files_sha256", names);
        Assert.Contains("idx_directory_state_uuid", names);
        Assert.Equal(["wal"], Query("PRAGMA journal_mode"));
    }

    [Fact]
    public void SaveState_ThenGetDirectoryState_ReturnsFilesWithPermissionBits()
    {
        var cache = Create();
        var files = new List<SyncedFile>
        {
            new("src/main.py", new LocalFileState(10, 123, 0x1ED), "aa", "uuid-1"),
            new("README", new LocalFileState(3, 456, 0x1A4), "bb", "uuid-2"),
        };

        var id = cache.SaveState("state-1", "/app", files, _time.GetUtcNow());
        var state = cache.GetDirectoryState(id);

        Assert.NotNull(state);
        Assert.Equal("/app", state.Destination);
        Assert.Equal(
            [new DirectoryStateFile("uuid-2", "/app/README", 0x1A4), new DirectoryStateFile("uuid-1", "/app/src/main.py", 0x1ED)],
            state.Files);
    }

    [Fact]
    public void SaveState_SameUuidTwice_KeepsIdAndReplacesFiles()
    {
        var cache = Create();
        var first = cache.SaveState("state-1", "/app", [new("a", new LocalFileState(1, 1, 0x1A4), "aa", "u1")], _time.GetUtcNow());

        var second = cache.SaveState("state-1", "/app", [new("b", new LocalFileState(1, 1, 0x1A4), "bb", "u2")], null);

        Assert.Equal(first, second);
        Assert.Equal(["/app/b"], cache.GetDirectoryState(first)!.Files.Select(f => f.TargetPath));
        var stored = cache.FindState("state-1")!;
        Assert.Equal(_time.GetUtcNow(), stored.ValidatedAt);
        Assert.Equal("b", Assert.Single(stored.Files).RelativePath);
    }

    [Fact]
    public void SaveState_RootDestination_TargetsHaveOneSlash()
    {
        var cache = Create();
        var id = cache.SaveState("s", "/", [new("x/y", new LocalFileState(1, 1, 0x1A4), "aa", "u1")], null);

        Assert.Equal("/x/y", Assert.Single(cache.GetDirectoryState(id)!.Files).TargetPath);
    }

    [Fact]
    public void GetKnownHash_StatChanged_ReturnsNull()
    {
        var cache = Create();
        var stat = new LocalFileState(5, 1000, 0x1A4);
        cache.RecordFile("/abs/file", stat, "hash", "uuid");

        Assert.Equal("hash", cache.GetKnownHash("/abs/file", stat));
        Assert.Null(cache.GetKnownHash("/abs/file", stat with { MtimeNs = 1001 }));
        Assert.Null(cache.GetKnownHash("/abs/other", stat));
    }

    [Fact]
    public void FindState_LegacyDatabase_MigratesAndForcesRevalidation()
    {
        Directory.CreateDirectory(_dir.Combine("cache"));
        using (var connection = new SqliteConnection($"Data Source={_dir.Combine("cache/files.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE files(id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, symlink_to TEXT, size INTEGER NOT NULL,
                    mtime INTEGER NOT NULL, ino INTEGER NOT NULL, mode INTEGER NOT NULL, sha256 TEXT NOT NULL, uuid TEXT NOT NULL,
                    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
                CREATE TABLE directory_state(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, name TEXT, destination TEXT NOT NULL,
                    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP);
                CREATE UNIQUE INDEX idx_directory_state_uuid ON directory_state(uuid);
                CREATE TABLE directory_state_file(id INTEGER PRIMARY KEY, state_id INTEGER NOT NULL REFERENCES directory_state(id) ON DELETE CASCADE,
                    uuid TEXT NOT NULL, target_path TEXT NOT NULL, target_mode INTEGER NOT NULL, UNIQUE(state_id, target_path));
                INSERT INTO directory_state(id, uuid, destination) VALUES (5, 'legacy', '/app');
                INSERT INTO directory_state_file(state_id, uuid, target_path, target_mode) VALUES (5, 'u1', '/app/a', 33188);
                """;
            command.ExecuteNonQuery();
        }

        var cache = Create();
        var state = cache.FindState("legacy");

        Assert.NotNull(state);
        Assert.Equal(5, state.Id);
        Assert.Null(state.ValidatedAt);
        Assert.Empty(state.Files); // legacy rows have no local stat, so the next sync re-checks every file
        Assert.Equal(0x1A4, Assert.Single(cache.GetDirectoryState(5)!.Files).Mode);
        Assert.Contains("local_path", Query("SELECT name FROM pragma_table_info('directory_state_file')"));
    }
}
