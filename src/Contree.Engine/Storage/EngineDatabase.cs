using Microsoft.Data.Sqlite;

namespace Contree.Engine.Storage;

/// <summary>
/// The engine's SQLite metadata store (<c>engine.db</c>, WAL). Connections are short-lived (the provider pools
/// them); writes are serialised by one lock so a writer never waits on SQLite's busy handler in-process, and a
/// busy timeout covers other processes. The schema is versioned with <c>PRAGMA user_version</c>.
/// </summary>
internal sealed class EngineDatabase
{
    /// <summary>Version of <see cref="SchemaV1"/>; bump it and add a migration step when the schema changes.</summary>
    public const int SchemaVersion = 1;

    private const string SchemaV1 = """
        CREATE TABLE IF NOT EXISTS layers (
            id            TEXT PRIMARY KEY,
            source_digest TEXT UNIQUE,
            created_at    TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS images (
            uuid            TEXT PRIMARY KEY,
            parent_uuid     TEXT,
            layers          TEXT NOT NULL,
            tag             TEXT UNIQUE,
            created_at      TEXT NOT NULL,
            command         TEXT,
            operation_id    TEXT,
            origin          TEXT,
            manifest_digest TEXT,
            env             TEXT NOT NULL,
            workdir         TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS images_created ON images(created_at);
        CREATE TABLE IF NOT EXISTS operations (
            id          TEXT PRIMARY KEY,
            kind        TEXT NOT NULL,
            status      TEXT NOT NULL,
            error       TEXT,
            metadata    TEXT NOT NULL,
            result      TEXT,
            created_at  TEXT NOT NULL,
            finished_at TEXT,
            duration    REAL NOT NULL DEFAULT 0
        );
        CREATE INDEX IF NOT EXISTS operations_created ON operations(created_at);
        CREATE INDEX IF NOT EXISTS operations_status ON operations(status);
        CREATE TABLE IF NOT EXISTS files (
            uuid       TEXT PRIMARY KEY,
            sha256     TEXT NOT NULL UNIQUE,
            size       INTEGER NOT NULL,
            created_at TEXT NOT NULL
        );
        """;

    private readonly string _connectionString;
    private readonly Lock _writeLock = new();

    public EngineDatabase(EnginePaths paths)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = paths.Database,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        Migrate();
    }

    /// <summary>Runs a read on a fresh connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        using var connection = Open();
        return read(connection);
    }

    /// <summary>Runs a write inside one transaction while holding the writer lock.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        lock (_writeLock)
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction();
            var result = write(connection, transaction);
            transaction.Commit();
            return result;
        }
    }

    public void Write(Action<SqliteConnection, SqliteTransaction> write) =>
        Write((c, t) =>
        {
            write(c, t);
            return 0;
        });

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // synchronous is per connection: NORMAL in WAL mode syncs at checkpoints, not at every commit, and a crash
        // can lose the last commits but never corrupts the database (https://sqlite.org/pragma.html#pragma_synchronous).
        pragma.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private void Migrate()
    {
        lock (_writeLock)
        {
            using var connection = Open();
            using (var wal = connection.CreateCommand())
            {
                // WAL lets readers proceed while one writer commits (https://sqlite.org/wal.html).
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }

            using var version = connection.CreateCommand();
            version.CommandText = "PRAGMA user_version;";
            var current = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (current > SchemaVersion)
            {
                throw new InvalidOperationException(
                    $"engine database '{connection.DataSource}' has schema version {current}, newer than this engine's {SchemaVersion}");
            }

            if (current == SchemaVersion)
            {
                return;
            }

            using var transaction = connection.BeginTransaction();
            using var create = connection.CreateCommand();
            create.Transaction = transaction;
            create.CommandText = SchemaV1 + $"PRAGMA user_version = {SchemaVersion};";
            create.ExecuteNonQuery();
            transaction.Commit();
        }
    }
}
