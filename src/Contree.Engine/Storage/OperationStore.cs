using System.Text.Json;
using Contree.Core.Json;
using Contree.Core.Models;
using Microsoft.Data.Sqlite;

namespace Contree.Engine.Storage;

/// <summary>
/// Operations with their full request metadata and result, persisted on every status change so that
/// <c>GET /operations/{id}</c> answers the same after a restart.
/// </summary>
internal sealed class OperationStore
{
    private const string Columns = "id, kind, status, error, metadata, result, created_at, finished_at, duration";

    private readonly EngineDatabase _database;

    public OperationStore(EngineDatabase database)
    {
        _database = database;
    }

    public void Insert(OperationRecord record) =>
        _database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = $"INSERT INTO operations ({Columns}) VALUES ($id, $kind, $status, $error, $meta, $result, $at, $fin, $dur)";
            command.Parameters.AddWithValue("$id", record.Id);
            command.Parameters.AddWithValue("$kind", record.Kind.ToWire());
            command.Parameters.AddWithValue("$status", record.Status.ToWire());
            command.Parameters.AddWithValue("$error", (object?)record.Error ?? DBNull.Value);
            command.Parameters.AddWithValue("$meta", SerializeMetadata(record.Metadata));
            command.Parameters.AddWithValue("$result", SerializeResult(record.Result));
            command.Parameters.AddWithValue("$at", record.CreatedAt);
            command.Parameters.AddWithValue("$fin", (object?)record.FinishedAt ?? DBNull.Value);
            command.Parameters.AddWithValue("$dur", record.Duration);
            command.ExecuteNonQuery();
        });

    /// <summary>Moves a non-terminal operation to <paramref name="status"/>; false when it is already terminal.</summary>
    public bool SetStatus(string id, OperationStatus status) =>
        _database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = "UPDATE operations SET status = $status WHERE id = $id AND status IN ('PENDING', 'ASSIGNED', 'EXECUTING')";
            command.Parameters.AddWithValue("$status", status.ToWire());
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() > 0;
        });

    /// <summary>Records the terminal state; false (nothing written) when the operation already was terminal.</summary>
    public bool Finish(string id, OperationStatus status, string? error, OperationMetadata? metadata, OperationResult? result, string finishedAt, double duration) =>
        _database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = """
                UPDATE operations SET status = $status, error = $error, result = $result, finished_at = $fin, duration = $dur,
                    metadata = COALESCE($meta, metadata)
                WHERE id = $id AND status IN ('PENDING', 'ASSIGNED', 'EXECUTING')
                """;
            command.Parameters.AddWithValue("$status", status.ToWire());
            command.Parameters.AddWithValue("$error", (object?)error ?? DBNull.Value);
            command.Parameters.AddWithValue("$result", SerializeResult(result));
            command.Parameters.AddWithValue("$fin", finishedAt);
            command.Parameters.AddWithValue("$dur", duration);
            command.Parameters.AddWithValue("$meta", metadata is null ? DBNull.Value : SerializeMetadata(metadata));
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() > 0;
        });

    public OperationRecord? Get(string id) =>
        _database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM operations WHERE id = $id";
            command.Parameters.AddWithValue("$id", id);
            return ReadAll(command).FirstOrDefault();
        });

    /// <summary>Newest first; bounds are timestamps in the <see cref="Timestamps"/> format.</summary>
    public IReadOnlyList<OperationRecord> List(OperationStatus? status, OperationKind? kind, string? since, string? until, int limit, int offset) =>
        _database.Read(c =>
        {
            using var command = c.CreateCommand();
            var where = new List<string>();
            if (status is { } s)
            {
                where.Add("status = $status");
                command.Parameters.AddWithValue("$status", s.ToWire());
            }

            if (kind is { } k)
            {
                where.Add("kind = $kind");
                command.Parameters.AddWithValue("$kind", k.ToWire());
            }

            PagedQuery.Complete(command, Columns, "operations", where, since, until, limit, offset);
            return ReadAll(command);
        });

    /// <summary>Ids of operations that are not terminal (used by recovery).</summary>
    public IReadOnlyList<string> ListNonTerminalIds() =>
        _database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "SELECT id FROM operations WHERE status IN ('PENDING', 'ASSIGNED', 'EXECUTING')";
            var ids = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ids.Add(reader.GetString(0));
            }

            return ids;
        });

    private static string SerializeMetadata(OperationMetadata metadata) => metadata switch
    {
        InstanceMetadata instance => JsonSerializer.Serialize(instance, ContreeJsonContext.Default.InstanceMetadata),
        ImportImageMetadata import => JsonSerializer.Serialize(import, ContreeJsonContext.Default.ImportImageMetadata),
        _ => throw new ArgumentException($"unsupported operation metadata {metadata.GetType().Name}", nameof(metadata)),
    };

    private static object SerializeResult(OperationResult? result) =>
        result is null ? DBNull.Value : JsonSerializer.Serialize(result, EngineJsonContext.Default.OperationResult);

    private static List<OperationRecord> ReadAll(SqliteCommand command)
    {
        var list = new List<OperationRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!OperationEnums.TryParseKind(reader.GetString(1), out var kind) || !OperationEnums.TryParseStatus(reader.GetString(2), out var status))
            {
                throw new InvalidDataException($"operation {reader.GetString(0)} has an unknown kind or status in the engine database");
            }

            var metadataJson = reader.GetString(4);
            OperationMetadata metadata = kind == OperationKind.Instance
                ? JsonSerializer.Deserialize(metadataJson, ContreeJsonContext.Default.InstanceMetadata)!
                : JsonSerializer.Deserialize(metadataJson, ContreeJsonContext.Default.ImportImageMetadata)!;
            list.Add(new OperationRecord(
                Id: reader.GetString(0),
                Kind: kind,
                Status: status,
                Error: reader.IsDBNull(3) ? null : reader.GetString(3),
                Metadata: metadata,
                Result: reader.IsDBNull(5) ? null : JsonSerializer.Deserialize(reader.GetString(5), EngineJsonContext.Default.OperationResult),
                CreatedAt: reader.GetString(6),
                FinishedAt: reader.IsDBNull(7) ? null : reader.GetString(7),
                Duration: reader.GetDouble(8)));
        }

        return list;
    }
}
