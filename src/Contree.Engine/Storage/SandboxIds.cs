using System.Globalization;
using Contree.Core.Errors;

namespace Contree.Engine.Storage;

/// <summary>
/// The host uids and gids a sandbox runs as and the store keeps image files under: image id <c>n</c> (0 to 65535) is
/// host id <see cref="Base"/> + <c>n</c>, so root inside is an unprivileged nobody outside (docs/engine.md, "Sandbox
/// identity"). The range lies in what systemd's UID/GID allocation leaves unused (0x70000000–0x7FFFFFFE); the engine
/// checks at start that no host user, group or subordinate id range overlaps it.
/// </summary>
internal static class SandboxIds
{
    /// <summary>Host id of image id 0.</summary>
    public const uint Base = 0x70000000;

    /// <summary>Image ids 0 to 65535 are mapped.</summary>
    public const uint Count = 65536;

    /// <summary>What an image id outside the mapped range becomes (the kernel's overflow id, "nobody").</summary>
    public const uint Overflow = 65534;

    /// <summary>The host id an image file owned by <paramref name="imageId"/> is stored under.</summary>
    public static uint ToHost(long imageId) => Base + (imageId is >= 0 and < Count ? (uint)imageId : Overflow);

    /// <summary>The image id of a stored file owned by <paramref name="hostId"/>; ids outside the range read as nobody.</summary>
    public static long ToImage(long hostId) => hostId is >= Base and < Base + Count ? hostId - Base : Overflow;

    /// <summary>True when <paramref name="hostId"/> is in the sandbox range (a stored file already shifted).</summary>
    public static bool IsShifted(long hostId) => hostId is >= Base and < Base + Count;

    /// <summary>The uid_map / gid_map line of the sandbox user namespace (user_namespaces(7)).</summary>
    public static string Map => string.Create(CultureInfo.InvariantCulture, $"0 {Base} {Count}\n");

    /// <summary>
    /// Fails when a host user or group, or a subordinate id range, overlaps the sandbox range: files the sandbox writes
    /// would belong to that user, and its processes could signal theirs.
    /// </summary>
    public static void CheckHost(string etc = "/etc")
    {
        foreach (var (file, isRange) in new[] { ("passwd", false), ("group", false), ("subuid", true), ("subgid", true) })
        {
            var path = Path.Combine(etc, file);
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadLines(path))
            {
                var fields = line.Split(':');
                var overlaps = isRange
                    ? fields.Length >= 3 && long.TryParse(fields[1], CultureInfo.InvariantCulture, out var start)
                        && long.TryParse(fields[2], CultureInfo.InvariantCulture, out var count)
                        && start < Base + Count && start + count > Base
                    : fields.Length >= 3 && long.TryParse(fields[2], CultureInfo.InvariantCulture, out var id) && IsShifted(id);
                if (overlaps)
                {
                    throw ContreeException.Unavailable(
                        $"the sandbox id range {Base}-{Base + Count - 1} overlaps '{fields[0]}' in {path}; sandboxes run as these host ids, "
                        + "so no host user, group or subordinate range may use them");
                }
            }
        }
    }
}
