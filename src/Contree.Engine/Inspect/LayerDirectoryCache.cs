using System.IO.Enumeration;
using Contree.Engine.Interop;

namespace Contree.Engine.Inspect;

/// <summary>
/// Directory listings of committed layers, least recently used evicted first. A layer directory never changes once
/// it is committed (it is renamed into place complete and only ever removed whole, and its id is never reused), so a
/// listing read once stays true for the layer's life and needs no invalidation. Lists of images that share lower
/// layers (every run's committed result shares its parent's) reuse each other's entries.
/// </summary>
internal sealed class LayerDirectoryCache
{
    /// <summary>Entries kept over all cached directories: at about 200 bytes each, a few MiB.</summary>
    public const int DefaultCapacity = 20_000;

    /// <summary>Every name, dot files included (the default options skip "hidden" ones).</summary>
    private static readonly EnumerationOptions AllNames = new() { AttributesToSkip = 0, IgnoreInaccessible = false };

    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Directory, IReadOnlyList<LayerDirectoryEntry> Entries)>> _index =
        new(StringComparer.Ordinal);

    private readonly LinkedList<(string Directory, IReadOnlyList<LayerDirectoryEntry> Entries)> _recency = new();
    private int _entryCount;

    public LayerDirectoryCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
    }

    /// <summary>Number of entries held, for tests and diagnostics.</summary>
    public int EntryCount
    {
        get
        {
            lock (_gate)
            {
                return _entryCount;
            }
        }
    }

    /// <summary>The entries of <paramref name="hostDirectory"/> in readdir order, read from disk on a miss.</summary>
    public IReadOnlyList<LayerDirectoryEntry> Read(string hostDirectory)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(hostDirectory, out var hit))
            {
                _recency.Remove(hit);
                _recency.AddFirst(hit);
                return hit.Value.Entries;
            }
        }

        // Read outside the lock: two callers missing on the same directory both read it, which is harmless.
        var entries = ReadFromDisk(hostDirectory);
        if (entries.Count > _capacity)
        {
            return entries;
        }

        lock (_gate)
        {
            if (!_index.ContainsKey(hostDirectory))
            {
                _index[hostDirectory] = _recency.AddFirst((hostDirectory, entries));
                _entryCount += entries.Count;
                while (_entryCount > _capacity && _recency.Last is { } oldest)
                {
                    _recency.RemoveLast();
                    _index.Remove(oldest.Value.Directory);
                    _entryCount -= oldest.Value.Entries.Count;
                }
            }
        }

        return entries;
    }

    /// <summary>
    /// readdir, then one statx per name relative to a descriptor of the directory: the kernel resolves one
    /// component per call instead of the whole host path (store root, layer id, path inside the image).
    /// </summary>
    public static IReadOnlyList<LayerDirectoryEntry> ReadFromDisk(string hostDirectory)
    {
        var fd = Libc.CheckIo(
            Libc.Open(hostDirectory, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0),
            hostDirectory,
            "open");
        try
        {
            var entries = new List<LayerDirectoryEntry>();
            var names = new FileSystemEnumerable<string>(hostDirectory, static (ref FileSystemEntry entry) => entry.FileName.ToString(), AllNames);
            foreach (var name in names)
            {
                if (!HostFs.TryStatAt(fd, name, hostDirectory, out var stat))
                {
                    continue;
                }

                var target = stat.IsSymlink ? new FileInfo(Path.Join(hostDirectory, name)).LinkTarget ?? "" : "";
                entries.Add(new LayerDirectoryEntry(name, stat, target));
            }

            return entries;
        }
        finally
        {
            Libc.Close(fd);
        }
    }
}
