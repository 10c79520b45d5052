using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Contree.Bench;

/// <summary>
/// Reads an image's layer directories from the engine's <c>engine.db</c> (docs/engine.md: <c>images.layers</c> is a
/// JSON array of layer ids, topmost first; each layer is <c>layers/&lt;id&gt;/fs</c>), read-only, so the floor
/// scripts and direct reads use exactly the directories the engine stacks.
/// </summary>
internal static class EngineLayers
{
    /// <summary>The layer directories of <paramref name="imageUuid"/>, topmost first.</summary>
    public static IReadOnlyList<string> Of(string dataDirectory, string imageUuid)
    {
        var database = Path.Combine(dataDirectory, "engine.db");
        var builder = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT layers FROM images WHERE uuid = $uuid";
        command.Parameters.AddWithValue("$uuid", imageUuid);
        var json = command.ExecuteScalar() as string
            ?? throw new BenchException($"image {imageUuid} is not in {database}");
        var ids = JsonSerializer.Deserialize<string[]>(json) ?? [];
        var directories = ids.Select(id => Path.Combine(dataDirectory, "layers", id, "fs")).ToList();
        foreach (var directory in directories.Where(static d => !Directory.Exists(d)))
        {
            throw new BenchException($"layer directory {directory} of image {imageUuid} does not exist");
        }

        return directories;
    }
}
