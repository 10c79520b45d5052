using System.Globalization;
using System.Text;

namespace Contree.Engine.Runtime;

/// <summary>One line of <c>/proc/self/mountinfo</c> (proc_pid_mountinfo(5)).</summary>
internal sealed record MountInfo(string Root, string MountPoint, string OptionalFields, string FileSystemType, string SuperOptions)
{
    public static IReadOnlyList<MountInfo> Read(string path = "/proc/self/mountinfo")
    {
        var result = new List<MountInfo>();
        foreach (var line in File.ReadLines(path))
        {
            var fields = line.Split(' ');
            var separator = Array.IndexOf(fields, "-", 6);
            if (fields.Length < 10 || separator < 0 || separator + 3 >= fields.Length)
            {
                continue;
            }

            result.Add(new MountInfo(
                Unescape(fields[3]),
                Unescape(fields[4]),
                string.Join(' ', fields[6..separator]),
                fields[separator + 1],
                fields[separator + 3]));
        }

        return result;
    }

    /// <summary>True when mounts below this one propagate to a peer group ("shared:N").</summary>
    public bool IsShared => OptionalFields.Contains("shared:", StringComparison.Ordinal);

    // The kernel escapes space, tab, newline and backslash as \ooo octal.
    private static string Unescape(string value)
    {
        if (!value.Contains('\\', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 3 < value.Length &&
                int.TryParse(value.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                builder.Append((char)Convert.ToInt32(value.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                builder.Append(value[i]);
            }
        }

        return builder.ToString();
    }
}
