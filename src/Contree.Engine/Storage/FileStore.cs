using Microsoft.Data.Sqlite;

namespace Contree.Engine.Storage;

/// <summary>Uploaded files by content: one UUID per sha256, so the same content always gets the same UUID.</summary>
internal sealed class FileStore
{
    private readonly EngineDatabase _database;
    private readonly TimeProvider _time;

    public FileStore(EngineDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
    }

    /// <summary>Returns the record for this content, creating it on first upload.</summary>
    public FileRecord GetOrCreate(string sha256, long size) =>
        _database.Write((c, t) =>
        {
            if (Query(c, t, "sha256", sha256) is { } existing)
            {
                return existing;
            }

            var record = new FileRecord(Guid.NewGuid().ToString("D"), sha256, size, Timestamps.Format(_time.GetUtcNow()));
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = "INSERT INTO files (uuid, sha256, size, created_at) VALUES ($uuid, $sha, $size, $at)";
            command.Parameters.AddWithValue("$uuid", record.Uuid);
            command.Parameters.AddWithValue("$sha", record.Sha256);
            command.Parameters.AddWithValue("$size", record.Size);
            command.Parameters.AddWithValue("$at", record.CreatedAt);
            command.ExecuteNonQuery();
            return record;
        });

    public FileRecord? GetBySha256(string sha256) => _database.Read(c => Query(c, null, "sha256", sha256));

    public FileRecord? GetByUuid(string uuid) => _database.Read(c => Query(c, null, "uuid", uuid));

    private static FileRecord? Query(SqliteConnection connection, SqliteTransaction? transaction, string column, string value)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT uuid, sha256, size, created_at FROM files WHERE {column} = $v";
        command.Parameters.AddWithValue("$v", value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new FileRecord(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)) : null;
    }
}
