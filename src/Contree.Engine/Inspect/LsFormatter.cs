using System.Globalization;
using System.Text;

namespace Contree.Engine.Inspect;

/// <summary>
/// The <c>ls -l</c>-like text of a directory (E8), in busybox's column layout: mode, links (4), owner and group
/// (numeric, 8 wide), size (9), "Mon dd HH:mm" for times within six months, else "Mon dd  yyyy", then the name
/// (<c>name -&gt; target</c> for symlinks; "major, minor" instead of the size for devices).
/// </summary>
internal static class LsFormatter
{
    public static string Format(IReadOnlyList<LayerDirectoryEntry> entries, DateTimeOffset now)
    {
        var text = new StringBuilder();
        // st_blocks counts 512-byte units; ls reports 1 KiB blocks.
        var total = entries.Sum(e => e.Stat.Blocks) / 2;
        text.Append(CultureInfo.InvariantCulture, $"total {total}\n");
        foreach (var entry in entries)
        {
            var stat = entry.Stat;
            text.Append(ModeString(stat.Mode));
            text.Append(CultureInfo.InvariantCulture, $" {stat.Nlink,4} {Storage.SandboxIds.ToImage(stat.Uid),-8} {Storage.SandboxIds.ToImage(stat.Gid),-8} ");
            if (stat.IsDevice)
            {
                text.Append(CultureInfo.InvariantCulture, $"{stat.RdevMajor,4}, {stat.RdevMinor,4}");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"{stat.Size,9}");
            }

            text.Append(' ').Append(TimeString(stat.MtimeSeconds, now)).Append(' ').Append(entry.Name);
            if (stat.IsSymlink)
            {
                text.Append(" -> ").Append(entry.LinkTarget);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>"drwxr-xr-x": the type letter and rwx triplets with s/S and t/T for setuid, setgid and sticky.</summary>
    public static string ModeString(int mode)
    {
        Span<char> chars = stackalloc char[10];
        chars[0] = (mode & FileStat.TypeMask) switch
        {
            FileStat.TypeDirectory => 'd',
            FileStat.TypeSymlink => 'l',
            FileStat.TypeCharacter => 'c',
            FileStat.TypeBlock => 'b',
            FileStat.TypeFifo => 'p',
            FileStat.TypeSocket => 's',
            _ => '-',
        };
        const string Rwx = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
        {
            chars[i + 1] = (mode & (1 << (8 - i))) != 0 ? Rwx[i] : '-';
        }

        chars[3] = Special(chars[3], (mode & 0x800) != 0, 's');
        chars[6] = Special(chars[6], (mode & 0x400) != 0, 's');
        chars[9] = Special(chars[9], (mode & 0x200) != 0, 't');
        return new string(chars);
    }

    private static char Special(char execute, bool set, char letter) =>
        !set ? execute : execute == 'x' ? letter : char.ToUpperInvariant(letter);

    private static string TimeString(long unixSeconds, DateTimeOffset now)
    {
        var time = DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
        var recent = time <= now.AddHours(1) && time > now.AddDays(-182);
        var month = time.ToString("MMM", CultureInfo.InvariantCulture);
        var day = time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2);
        return recent
            ? $"{month} {day} {time.ToString("HH:mm", CultureInfo.InvariantCulture)}"
            : $"{month} {day}  {time.Year.ToString(CultureInfo.InvariantCulture)}";
    }
}
