using System.Globalization;
using System.Text.RegularExpressions;
using Contree.Core.Errors;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Caches;

/// <summary>
/// The general cache: one SQLite table <c>cache(kind, key, parent_id, data, created_at, updated_at)</c>
/// in WAL mode, created (with its parent directories) on first use. Rows are upserted on (kind, key), keeping id and
/// created_at. When the cache is first opened (once per process), rows whose <c>updated_at</c> is older than
/// <see cref="ContreeMcpOptions.CachePruneDays"/> are deleted (both sides of the comparison use one
/// UTC timestamp format, and upserts refresh updated_at). Lineage rows are pruned like any other row; a pruned parent
/// simply ends the ancestor chain there (its children's parent link is cleared).
/// </summary>
internal sealed partial class GeneralCache
{
    private const string TimestampFormat = "yyyy-MM-dd HH:mm:ss.ffffff";
    private readonly string _path;
    private readonly int _pruneDays;
    private readonly TimeProvider _time;
    private readonly Lock _initGate = new();
    private string? _connectionString;

    public GeneralCache(IOptions<ContreeMcpOptions> options, TimeProvider time)
    {
        _path = options.Value.GeneralCachePath;
        _pruneDays = options.Value.CachePruneDays;
        _time = time;
    }

    public CacheEntry Put(string kind, string key, string data, long? parentId = null)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO cache(kind, key, parent_id, data, created_at, updated_at) VALUES ($kind, $key, $parent, $data, $now, $now)
            ON CONFLICT(kind, key) DO UPDATE SET parent_id = excluded.parent_id, data = excluded.data, updated_at = excluded.updated_at
            RETURNING id, kind, key, parent_id, data, created_at, updated_at
            """;
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$parent", (object?)parentId ?? DBNull.Value);
        command.Parameters.AddWithValue("$data", data);
        command.Parameters.AddWithValue("$now", Now());
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEntry(reader) : throw ContreeException.Internal($"cache upsert of {kind}/{key} returned no row");
    }

    public CacheEntry? Get(string kind, string key)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, kind, key, parent_id, data, created_at, updated_at FROM cache WHERE kind = $kind AND key = $key";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEntry(reader) : null;
    }

    public CacheEntry? GetById(long id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, kind, key, parent_id, data, created_at, updated_at FROM cache WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadEntry(reader) : null;
    }

    public bool Delete(string kind, string key)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM cache WHERE kind = $kind AND key = $key";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>
    /// Rows of a kind whose JSON data matches every filter (<c>json_extract(data, '$.field') = value</c>), newest
    /// first. Field names are checked against a strict pattern because they become part of the SQL text.
    /// </summary>
    public IReadOnlyList<CacheEntry> ListEntries(string kind, int limit = 100, IReadOnlyDictionary<string, object?>? filters = null)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        var sql = "SELECT id, kind, key, parent_id, data, created_at, updated_at FROM cache WHERE kind = $kind";
        var index = 0;
        foreach (var (field, value) in filters ?? new Dictionary<string, object?>())
        {
            if (!FieldPattern().IsMatch(field))
            {
                throw ContreeException.InvalidArgument($"Invalid filter field name: {field}");
            }

            sql += $" AND json_extract(data, '$.{field}') = $f{index}";
            command.Parameters.AddWithValue($"$f{index}", value ?? DBNull.Value);
            index++;
        }

        command.CommandText = sql + " ORDER BY created_at DESC, id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadAll(command);
    }

    /// <summary>The parent chain of (kind, key), nearest first, at most <paramref name="limit"/> levels.</summary>
    public IReadOnlyList<CacheEntry> GetAncestors(string kind, string key, int limit = 50)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            WITH RECURSIVE chain(id, kind, key, parent_id, data, created_at, updated_at, depth) AS (
                SELECT id, kind, key, parent_id, data, created_at, updated_at, 0 FROM cache WHERE kind = $kind AND key = $key
                UNION ALL
                SELECT c.id, c.kind, c.key, c.parent_id, c.data, c.created_at, c.updated_at, chain.depth + 1
                FROM cache c JOIN chain ON c.id = chain.parent_id WHERE chain.depth < $limit)
            SELECT id, kind, key, parent_id, data, created_at, updated_at FROM chain WHERE depth > 0 ORDER BY depth
            """;
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadAll(command);
    }

    /// <summary>Direct children of (kind, key), not all descendants, oldest first.</summary>
    public IReadOnlyList<CacheEntry> GetChildren(string kind, string key, int limit = 50)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.id, c.kind, c.key, c.parent_id, c.data, c.created_at, c.updated_at
            FROM cache c JOIN cache p ON c.parent_id = p.id
            WHERE p.kind = $kind AND p.key = $key ORDER BY c.id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$limit", limit);
        return ReadAll(command);
    }

    /// <summary>Deletes rows not updated for <paramref name="days"/> days; returns how many. 0 or less: nothing.</summary>
    public int Prune(int days)
    {
        if (days <= 0)
        {
            return 0;
        }

        using var connection = Open();
        return PruneOn(connection, days);
    }

    private int PruneOn(SqliteConnection connection, int days)
    {
        var cutoff = _time.GetUtcNow().AddDays(-days).UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);
        using var unlink = connection.CreateCommand();
        unlink.CommandText = "UPDATE cache SET parent_id = NULL WHERE parent_id IN (SELECT id FROM cache WHERE updated_at < $cutoff)";
        unlink.Parameters.AddWithValue("$cutoff", cutoff);
        unlink.ExecuteNonQuery();
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM cache WHERE updated_at < $cutoff";
        delete.Parameters.AddWithValue("$cutoff", cutoff);
        return delete.ExecuteNonQuery();
    }

    private SqliteConnection Open()
    {
        var connectionString = _connectionString ?? Initialize();
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        // Per connection: a cache needs no fsync per commit; WAL with NORMAL cannot corrupt, only lose the last writes.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private string Initialize()
    {
        lock (_initGate)
        {
            if (_connectionString is not null)
            {
                return _connectionString;
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(_path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var connectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true, DefaultTimeout = 30 }.ToString();
            using (var connection = new SqliteConnection(connectionString))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = """
                    PRAGMA journal_mode = WAL;
                    CREATE TABLE IF NOT EXISTS cache(
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        kind TEXT NOT NULL,
                        key TEXT NOT NULL,
                        parent_id INTEGER REFERENCES cache(id),
                        data TEXT NOT NULL,
                        created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                        updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
                        UNIQUE(kind, key));
                    CREATE INDEX IF NOT EXISTS idx_cache_kind ON cache(kind);
                    CREATE INDEX IF NOT EXISTS idx_cache_parent ON cache(parent_id);
                    CREATE INDEX IF NOT EXISTS idx_cache_created ON cache(created_at);
                    CREATE INDEX IF NOT EXISTS idx_cache_updated ON cache(updated_at);
                    """;
                command.ExecuteNonQuery();
                if (_pruneDays > 0)
                {
                    PruneOn(connection, _pruneDays);
                }
            }

            _connectionString = connectionString;
            return connectionString;
        }
    }

    private string Now() => _time.GetUtcNow().UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    private static List<CacheEntry> ReadAll(SqliteCommand command)
    {
        var list = new List<CacheEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(ReadEntry(reader));
        }

        return list;
    }

    private static CacheEntry ReadEntry(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.IsDBNull(3) ? null : reader.GetInt64(3),
        reader.GetString(4),
        reader.GetString(5),
        reader.GetString(6));

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_.]*$")]
    private static partial Regex FieldPattern();
}
