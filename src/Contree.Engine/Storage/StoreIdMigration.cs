using System.Globalization;
using Contree.Engine.Inspect;
using Contree.Engine.Interop;

namespace Contree.Engine.Storage;

/// <summary>
/// Moves the files of a store written before the sandbox id range existed (owned by image ids as such) to their host
/// ids in <see cref="SandboxIds"/>. Idempotent, so an interrupted migration simply runs again at the next start: a
/// file already in the range is left alone. The marker file records the range once every layer is done.
/// </summary>
internal static class StoreIdMigration
{
    private const string MarkerName = "sandbox-ids";

    /// <summary>Whether the store at <paramref name="paths"/> still needs the migration.</summary>
    public static bool IsNeeded(EnginePaths paths) =>
        !File.Exists(Marker(paths)) || File.ReadAllText(Marker(paths)).Trim() != MarkerText;

    /// <summary>Shifts every layer's files; returns how many entries changed owner.</summary>
    public static int Run(EnginePaths paths)
    {
        var changed = 0;
        if (Directory.Exists(paths.Layers))
        {
            foreach (var layer in Directory.GetDirectories(paths.Layers))
            {
                changed += ShiftTree(layer);
            }
        }

        var temporary = Marker(paths) + ".tmp";
        File.WriteAllText(temporary, MarkerText + "\n");
        File.Move(temporary, Marker(paths), overwrite: true);
        return changed;
    }

    private static string MarkerText => string.Create(CultureInfo.InvariantCulture, $"{SandboxIds.Base} {SandboxIds.Count}");

    private static string Marker(EnginePaths paths) => Path.Combine(paths.Root, MarkerName);

    /// <summary>Shifts the owners of every entry below <paramref name="root"/> not yet in the range; returns how many changed.</summary>
    public static int ShiftTree(string root)
    {
        var changed = 0;
        var pending = new Stack<string>([root]);
        while (pending.TryPop(out var path))
        {
            var stat = HostFs.Lstat(path);
            if (!SandboxIds.IsShifted(stat.Uid) || !SandboxIds.IsShifted(stat.Gid))
            {
                var uid = SandboxIds.IsShifted(stat.Uid) ? stat.Uid : SandboxIds.ToHost(stat.Uid);
                var gid = SandboxIds.IsShifted(stat.Gid) ? stat.Gid : SandboxIds.ToHost(stat.Gid);
                Libc.CheckIo(Libc.Lchown(path, uid, gid), path, "lchown");
                if (!stat.IsSymlink)
                {
                    // chown clears set-user-ID and set-group-ID bits (and file capabilities, which were host-valid).
                    File.SetUnixFileMode(path, (UnixFileMode)stat.Permissions);
                }

                changed++;
            }

            if (stat.IsDirectory)
            {
                foreach (var child in Directory.EnumerateFileSystemEntries(path))
                {
                    pending.Push(child);
                }
            }
        }

        return changed;
    }
}
