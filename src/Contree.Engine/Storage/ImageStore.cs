using System.Text.Json;
using Contree.Core.Errors;
using Contree.Core.Models;
using Microsoft.Data.Sqlite;

namespace Contree.Engine.Storage;

/// <summary>Image rows: UUID → layer chain, tag, provenance and default environment.</summary>
internal sealed class ImageStore
{
    private const string Columns =
        "uuid, parent_uuid, layers, tag, created_at, command, operation_id, origin, manifest_digest, env, workdir";

    private readonly EngineDatabase _database;

    public ImageStore(EngineDatabase database)
    {
        _database = database;
    }

    public void Insert(ImageRecord image) =>
        _database.Write((c, t) =>
        {
            if (image.Tag is not null)
            {
                ClearTagOwner(c, t, image.Tag);
            }

            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = $"INSERT INTO images ({Columns}) VALUES ($uuid, $parent, $layers, $tag, $at, $cmd, $op, $origin, $digest, $env, $workdir)";
            command.Parameters.AddWithValue("$uuid", image.Uuid);
            command.Parameters.AddWithValue("$parent", (object?)image.ParentUuid ?? DBNull.Value);
            command.Parameters.AddWithValue("$layers", JsonSerializer.Serialize(image.Layers.ToArray(), EngineJsonContext.Default.StringArray));
            command.Parameters.AddWithValue("$tag", (object?)image.Tag ?? DBNull.Value);
            command.Parameters.AddWithValue("$at", image.CreatedAt);
            command.Parameters.AddWithValue("$cmd", (object?)image.Command ?? DBNull.Value);
            command.Parameters.AddWithValue("$op", (object?)image.OperationId ?? DBNull.Value);
            command.Parameters.AddWithValue("$origin", (object?)image.Origin ?? DBNull.Value);
            command.Parameters.AddWithValue("$digest", (object?)image.ManifestDigest ?? DBNull.Value);
            command.Parameters.AddWithValue("$env", JsonSerializer.Serialize(image.Env.ToArray(), EngineJsonContext.Default.StringArray));
            command.Parameters.AddWithValue("$workdir", image.WorkingDir);
            command.ExecuteNonQuery();
        });

    public ImageRecord? Get(string uuid) => QueryOne("uuid = $v", uuid);

    public ImageRecord? GetByTag(string tag) => QueryOne("tag = $v", tag);

    /// <summary>Gives <paramref name="tag"/> to the image, taking it from any other image (a tag names at most one).</summary>
    public ImageRecord SetTag(string uuid, string tag)
    {
        var found = _database.Write((c, t) =>
        {
            if (!Exists(c, t, uuid))
            {
                return false;
            }

            ClearTagOwner(c, t, tag);
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = "UPDATE images SET tag = $tag WHERE uuid = $uuid";
            command.Parameters.AddWithValue("$tag", tag);
            command.Parameters.AddWithValue("$uuid", uuid);
            command.ExecuteNonQuery();
            return true;
        });
        return found ? Get(uuid)! : throw ImageNotFound(uuid);
    }

    /// <summary>Removes the image's tag (no-op when untagged); NotFound for an unknown image.</summary>
    public void ClearTag(string uuid)
    {
        var found = _database.Write((c, t) =>
        {
            using var command = c.CreateCommand();
            command.Transaction = t;
            command.CommandText = "UPDATE images SET tag = NULL WHERE uuid = $uuid";
            command.Parameters.AddWithValue("$uuid", uuid);
            return command.ExecuteNonQuery() > 0;
        });
        if (!found)
        {
            throw ImageNotFound(uuid);
        }
    }

    /// <summary>Newest first; bounds are ISO-8601 UTC text in the <see cref="Timestamps"/> format.</summary>
    public IReadOnlyList<ImageRecord> List(bool? tagged, string? tagPrefix, string? since, string? until, int limit, int offset) =>
        _database.Read(c =>
        {
            using var command = c.CreateCommand();
            var where = new List<string>();
            if (tagged is true)
            {
                where.Add("tag IS NOT NULL");
            }
            else if (tagged is false)
            {
                where.Add("tag IS NULL");
            }

            if (!string.IsNullOrEmpty(tagPrefix))
            {
                // substr keeps '%' and '_' in tags literal (LIKE would treat them as wildcards).
                where.Add("substr(tag, 1, length($prefix)) = $prefix");
                command.Parameters.AddWithValue("$prefix", tagPrefix);
            }

            PagedQuery.Complete(command, Columns, "images", where, since, until, limit, offset);
            return ReadAll(command);
        });

    public static ContreeException ImageNotFound(string uuid) => ContreeException.NotFound($"image {uuid} not found");

    public static Image ToWire(ImageRecord record) => new() { Uuid = record.Uuid, Tag = record.Tag, CreatedAt = record.CreatedAt };

    private ImageRecord? QueryOne(string where, string value) =>
        _database.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM images WHERE {where}";
            command.Parameters.AddWithValue("$v", value);
            return ReadAll(command).FirstOrDefault();
        });

    private static bool Exists(SqliteConnection connection, SqliteTransaction transaction, string uuid)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM images WHERE uuid = $uuid";
        command.Parameters.AddWithValue("$uuid", uuid);
        return command.ExecuteScalar() is not null;
    }

    private static void ClearTagOwner(SqliteConnection connection, SqliteTransaction transaction, string tag)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE images SET tag = NULL WHERE tag = $tag";
        command.Parameters.AddWithValue("$tag", tag);
        command.ExecuteNonQuery();
    }

    private static List<ImageRecord> ReadAll(SqliteCommand command)
    {
        var list = new List<ImageRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            list.Add(new ImageRecord(
                Uuid: reader.GetString(0),
                ParentUuid: reader.IsDBNull(1) ? null : reader.GetString(1),
                Layers: JsonSerializer.Deserialize(reader.GetString(2), EngineJsonContext.Default.StringArray) ?? [],
                Tag: reader.IsDBNull(3) ? null : reader.GetString(3),
                CreatedAt: reader.GetString(4),
                Command: reader.IsDBNull(5) ? null : reader.GetString(5),
                OperationId: reader.IsDBNull(6) ? null : reader.GetString(6),
                Origin: reader.IsDBNull(7) ? null : reader.GetString(7),
                ManifestDigest: reader.IsDBNull(8) ? null : reader.GetString(8),
                Env: JsonSerializer.Deserialize(reader.GetString(9), EngineJsonContext.Default.StringArray) ?? [],
                WorkingDir: reader.GetString(10)));
        }

        return list;
    }
}
