using Contree.Core.Errors;
using Microsoft.Data.Sqlite;

namespace Contree.Mcp.Sync;

internal sealed partial class FileSyncCache
{
    // The original's schema; directory_state_file gains the local path and stat it was synced from (docs/rsync.md).
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS files(
            id INTEGER PRIMARY KEY,
            path TEXT UNIQUE NOT NULL,
            symlink_to TEXT,
            size INTEGER NOT NULL,
            mtime INTEGER NOT NULL,
            ino INTEGER NOT NULL,
            mode INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            uuid TEXT NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
        CREATE INDEX IF NOT EXISTS idx_files_sha256 ON files(sha256);
        CREATE TABLE IF NOT EXISTS directory_state(
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL,
            name TEXT,
            destination TEXT NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
            updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
        CREATE UNIQUE INDEX IF NOT EXISTS idx_directory_state_uuid ON directory_state(uuid);
        CREATE TABLE IF NOT EXISTS directory_state_file(
            id INTEGER PRIMARY KEY,
            state_id INTEGER NOT NULL REFERENCES directory_state(id) ON DELETE CASCADE,
            uuid TEXT NOT NULL,
            target_path TEXT NOT NULL,
            target_mode INTEGER NOT NULL,
            local_path TEXT,
            size INTEGER,
            mtime INTEGER,
            mode INTEGER,
            sha256 TEXT,
            UNIQUE(state_id, target_path));
        """;

    // Columns added to databases written by older versions; NULL updated_at forces revalidation.
    private static readonly (string Table, string Column, string Type)[] AddedColumns =
    [
        ("files", "updated_at", "TIMESTAMP"),
        ("directory_state", "updated_at", "TIMESTAMP"),
        ("directory_state_file", "local_path", "TEXT"),
        ("directory_state_file", "size", "INTEGER"),
        ("directory_state_file", "mtime", "INTEGER"),
        ("directory_state_file", "mode", "INTEGER"),
        ("directory_state_file", "sha256", "TEXT"),
    ];

    private void Initialize()
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        try
        {
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ContreeException.Internal($"cannot create the directory of the file-sync cache '{Path}': {ex.Message}", ex);
        }

        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        try
        {
            command.CommandText = "PRAGMA journal_mode = WAL;";
            command.ExecuteNonQuery();
            command.CommandText = Schema;
            command.ExecuteNonQuery();
            foreach (var (table, column, type) in AddedColumns)
            {
                if (!HasColumn(connection, table, column))
                {
                    command.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {type}";
                    command.ExecuteNonQuery();
                }
            }
        }
        catch (SqliteException ex)
        {
            throw ContreeException.Internal($"cannot initialise the file-sync cache '{Path}': {ex.Message}", ex);
        }
    }

    private static bool HasColumn(SqliteConnection connection, string table, string column)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT 1 FROM pragma_table_info('{table}') WHERE name = $column";
        command.Parameters.AddWithValue("$column", column);
        return command.ExecuteScalar() is not null;
    }
}
