using Microsoft.Data.Sqlite;

namespace Contree.Engine.Storage;

/// <summary>The part every list query shares: a created_at range, newest first, one page.</summary>
internal static class PagedQuery
{
    /// <summary>
    /// Adds the <c>created_at</c> bounds to <paramref name="where"/> and sets the command text to
    /// <c>SELECT columns FROM table [WHERE …] ORDER BY created_at DESC, rowid DESC LIMIT … OFFSET …</c>.
    /// </summary>
    public static void Complete(
        SqliteCommand command, string columns, string table, List<string> where, string? since, string? until, int limit, int offset)
    {
        if (since is not null)
        {
            where.Add("created_at >= $since");
            command.Parameters.AddWithValue("$since", since);
        }

        if (until is not null)
        {
            where.Add("created_at <= $until");
            command.Parameters.AddWithValue("$until", until);
        }

        var filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        command.CommandText = $"SELECT {columns} FROM {table} {filter} ORDER BY created_at DESC, rowid DESC LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$offset", offset);
    }
}
