using System.Text;
using System.Text.RegularExpressions;

namespace Contree.Server.IndexPage;

/// <summary>
/// The mini Markdown renderer of the index page, rendering exactly what the original's did: fenced code blocks,
/// headers, flat lists, pipe tables, paragraphs, inline code and bold. Everything else stays text.
/// </summary>
internal static partial class MarkdownRenderer
{
    /// <summary>Renders <paramref name="markdown"/>; output parts are joined with newlines.</summary>
    public static string ToHtml(string markdown)
    {
        var output = new List<string>();
        var code = new List<string>();
        var table = new List<string>();
        var inCode = false;
        string? list = null;

        void CloseList()
        {
            if (list is not null)
            {
                output.Add($"</{list}>");
                list = null;
            }
        }

        void FlushTable()
        {
            if (table.Count > 0)
            {
                output.Add(RenderTable(table));
                table.Clear();
            }
        }

        void OpenList(string kind)
        {
            if (list != kind)
            {
                CloseList();
                output.Add($"<{kind}>");
                list = kind;
            }
        }

        foreach (var rawLine in markdown.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                if (inCode)
                {
                    output.Add("<pre><code>" + Escape(string.Join('\n', code)) + "</code></pre>");
                    code.Clear();
                    inCode = false;
                }
                else
                {
                    CloseList();
                    inCode = true;
                }

                continue;
            }

            if (inCode)
            {
                code.Add(line);
                continue;
            }

            var trimmed = line.Trim();
            if (line.Contains('|') && trimmed.StartsWith('|'))
            {
                if (table.Count == 0)
                {
                    CloseList();
                }

                table.Add(line);
                continue;
            }

            FlushTable();

            if (line.StartsWith('#'))
            {
                CloseList();
                // A.2 step 4: the level is capped at 6 and exactly that many characters are cut.
                var level = Math.Min(line.Length - line.TrimStart('#').Length, 6);
                output.Add($"<h{level}>{Inline(line[level..].Trim())}</h{level}>");
                continue;
            }

            if (trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("* ", StringComparison.Ordinal))
            {
                OpenList("ul");
                output.Add("<li>" + Inline(trimmed[2..]) + "</li>");
                continue;
            }

            var dot = trimmed.IndexOf(". ", StringComparison.Ordinal);
            if (trimmed.Length > 0 && char.IsAsciiDigit(trimmed[0]) && dot >= 0)
            {
                OpenList("ol");
                output.Add("<li>" + Inline(trimmed[(dot + 2)..]) + "</li>");
                continue;
            }

            if (list is not null && trimmed.Length > 0 && !line.StartsWith(' '))
            {
                CloseList();
            }

            if (trimmed.Length == 0)
            {
                continue;
            }

            CloseList();
            output.Add("<p>" + Inline(line) + "</p>");
        }

        CloseList();
        FlushTable();
        if (inCode)
        {
            output.Add("<pre><code>" + Escape(string.Join('\n', code)) + "</code></pre>");
        }

        return string.Join('\n', output);
    }

    /// <summary>Escapes, then renders <c>`code`</c> and <c>**bold**</c> (A.2 "Inline rendering").</summary>
    public static string Inline(string text)
    {
        var html = Escape(text);
        html = CodeSpan().Replace(html, "<code>$1</code>");
        return Bold().Replace(html, "<strong>$1</strong>");
    }

    /// <summary>Pipe table: row 0 is the header, row 1 (the separator) is skipped; fewer than 2 rows render nothing.</summary>
    public static string RenderTable(IReadOnlyList<string> rows)
    {
        if (rows.Count < 2)
        {
            return "";
        }

        var html = new StringBuilder("<table><thead><tr>");
        foreach (var cell in Cells(rows[0]))
        {
            html.Append("<th>").Append(Inline(cell)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in rows.Skip(2))
        {
            html.Append("<tr>");
            foreach (var cell in Cells(row))
            {
                html.Append("<td>").Append(Inline(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>HTML-escapes text including quotes (<c>'</c> becomes <c>&amp;#x27;</c>), as Python's html.escape.</summary>
    public static string Escape(string text)
    {
        var html = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            html.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#x27;",
                _ => c.ToString(),
            });
        }

        return html.ToString();
    }

    private static List<string> Cells(string row)
    {
        var cells = row.Trim().Split('|').ToList();
        if (cells.Count > 0 && cells[0].Trim().Length == 0)
        {
            cells.RemoveAt(0);
        }

        if (cells.Count > 0 && cells[^1].Trim().Length == 0)
        {
            cells.RemoveAt(cells.Count - 1);
        }

        return cells.ConvertAll(c => c.Trim());
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\*\*([^*]+)\*\*")]
    private static partial Regex Bold();
}
