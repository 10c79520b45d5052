using System.Globalization;
using System.Text;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>Images as directory trees: helpers to build them and the inspect endpoints (E6–E10).</summary>
public sealed partial class FakeContreeBackend
{
    /// <summary>Adds an image holding <paramref name="files"/> (absolute path → UTF-8 text); parents are implied.</summary>
    public string AddImage(string? tag = null, IReadOnlyDictionary<string, string>? files = null)
    {
        var image = new FakeImage(Guid.NewGuid().ToString("D"), NextTimestamp());
        image.AddDirectory("/");
        foreach (var (path, text) in files ?? new Dictionary<string, string>())
        {
            image.AddFile(path, Encoding.UTF8.GetBytes(text), 0x1A4);
        }

        lock (_gate)
        {
            _images[image.Uuid] = image;
            _imageOrder.Add(image.Uuid);
            if (tag is not null)
            {
                foreach (var other in _images.Values.Where(i => i.Tag == tag))
                {
                    other.Tag = null;
                }

                image.Tag = tag;
            }
        }

        return image.Uuid;
    }

    /// <summary>Adds (or replaces) a regular file in an existing image; mode is permission bits (e.g. 0x1ED = 0755).</summary>
    public void AddFile(string imageUuid, string path, byte[] content, int mode = 0x1A4)
    {
        lock (_gate)
        {
            FindImage(imageUuid).AddFile(path, content, mode);
        }
    }

    public void AddDirectory(string imageUuid, string path)
    {
        lock (_gate)
        {
            FindImage(imageUuid).AddDirectory(path);
        }
    }

    public void AddSymlink(string imageUuid, string path, string target)
    {
        lock (_gate)
        {
            FindImage(imageUuid).AddNode(path, new FakeNode(FakeNodeKind.Symlink, [], 0x1FF, target));
        }
    }

    public void AddFifo(string imageUuid, string path)
    {
        lock (_gate)
        {
            FindImage(imageUuid).AddNode(path, new FakeNode(FakeNodeKind.Fifo, [], 0x1A4, ""));
        }
    }

    /// <summary>True when the image exists.</summary>
    public bool HasImage(string imageUuid)
    {
        lock (_gate)
        {
            return _images.ContainsKey(imageUuid);
        }
    }

    /// <summary>Number of images.</summary>
    public int ImageCount
    {
        get
        {
            lock (_gate)
            {
                return _images.Count;
            }
        }
    }

    /// <summary>A file's content in an image, or null when there is no regular file there.</summary>
    public byte[]? ReadImageFile(string imageUuid, string path)
    {
        lock (_gate)
        {
            return _images.TryGetValue(imageUuid, out var image) && image.Nodes.TryGetValue(FakeImage.Normalize(path), out var node)
                && node.Kind == FakeNodeKind.File ? node.Content : null;
        }
    }

    public Task<DirectoryList> ListDirectoryAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        Enter(nameof(ListDirectoryAsync));
        lock (_gate)
        {
            var image = FindImage(imageUuid);
            var dir = FakeImage.Normalize(path);
            var entries = image.Children(dir).Select(e => e.Node.ToItem(e.Name, image.CreatedUnix)).ToList();
            return Task.FromResult(new DirectoryList { Path = dir, Files = entries });
        }
    }

    public Task<string> ListDirectoryTextAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        Enter(nameof(ListDirectoryTextAsync));
        lock (_gate)
        {
            var image = FindImage(imageUuid);
            var text = new StringBuilder();
            foreach (var (name, node) in image.Children(FakeImage.Normalize(path)))
            {
                var type = node.Kind switch { FakeNodeKind.Directory => 'd', FakeNodeKind.Symlink => 'l', FakeNodeKind.Fifo => 'p', _ => '-' };
                text.Append(CultureInfo.InvariantCulture, $"{type}{Permissions(node.Mode)} root root {node.Content.Length,8} {name}");
                text.Append(node.Kind == FakeNodeKind.Symlink ? " -> " + node.Target : "").Append('\n');
            }

            return Task.FromResult(text.ToString());
        }
    }

    public Task<Stream> DownloadFileAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        Enter(nameof(DownloadFileAsync));
        lock (_gate)
        {
            var image = FindImage(imageUuid);
            var normalized = FakeImage.Normalize(path);
            if (!image.Nodes.TryGetValue(normalized, out var node))
            {
                throw ContreeException.NotFound($"File not found in image {imageUuid}: {normalized}");
            }

            if (node.Kind != FakeNodeKind.File)
            {
                throw ContreeException.InvalidArgument($"Not a regular file in image {imageUuid}: {normalized}");
            }

            return Task.FromResult<Stream>(new MemoryStream(node.Content, writable: false));
        }
    }

    public Task<bool> FileExistsInImageAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        Enter(nameof(FileExistsInImageAsync));
        lock (_gate)
        {
            return Task.FromResult(_images.TryGetValue(imageUuid, out var image)
                && image.Nodes.TryGetValue(FakeImage.Normalize(path), out var node) && node.Kind == FakeNodeKind.File);
        }
    }

    private FakeImage FindImage(string imageUuid) =>
        _images.TryGetValue(imageUuid, out var image) ? image : throw ContreeException.NotFound($"Image not found: {imageUuid}");

    private static string Permissions(int mode)
    {
        var chars = new char[9];
        const string Letters = "rwxrwxrwx";
        for (var i = 0; i < 9; i++)
        {
            chars[i] = (mode & (1 << (8 - i))) != 0 ? Letters[i] : '-';
        }

        return new string(chars);
    }

    private enum FakeNodeKind
    {
        File,
        Directory,
        Symlink,
        Fifo,
    }

    private sealed record FakeNode(FakeNodeKind Kind, byte[] Content, int Mode, string Target)
    {
        public FileItem ToItem(string name, long mtime) => new()
        {
            Path = name,
            Size = Content.Length,
            Mode = Mode | Kind switch { FakeNodeKind.Directory => 0x4000, FakeNodeKind.Symlink => 0xA000, FakeNodeKind.Fifo => 0x1000, _ => 0x8000 },
            Mtime = mtime,
            IsDir = Kind == FakeNodeKind.Directory,
            IsRegular = Kind == FakeNodeKind.File,
            IsSymlink = Kind == FakeNodeKind.Symlink,
            IsFifo = Kind == FakeNodeKind.Fifo,
            SymlinkTo = Target,
        };
    }

    private sealed class FakeImage(string uuid, string createdAt)
    {
        public string Uuid { get; } = uuid;

        public string? Tag { get; set; }

        public string CreatedAt { get; } = createdAt;

        public long CreatedUnix => DateTimeOffset.Parse(CreatedAt, CultureInfo.InvariantCulture).ToUnixTimeSeconds();

        public Dictionary<string, FakeNode> Nodes { get; } = new(StringComparer.Ordinal);

        public Image ToModel() => new() { Uuid = Uuid, Tag = Tag, CreatedAt = CreatedAt };

        public static string Normalize(string path)
        {
            var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != ".");
            return "/" + string.Join('/', parts);
        }

        public void AddDirectory(string path) => AddNode(path, new FakeNode(FakeNodeKind.Directory, [], 0x1ED, ""));

        public void AddFile(string path, byte[] content, int mode) => AddNode(path, new FakeNode(FakeNodeKind.File, content, mode, ""));

        public void AddNode(string path, FakeNode node)
        {
            var normalized = Normalize(path);
            var parent = normalized;
            while (parent != "/")
            {
                parent = parent[..parent.LastIndexOf('/')] is { Length: > 0 } p ? p : "/";
                if (!Nodes.ContainsKey(parent))
                {
                    Nodes[parent] = new FakeNode(FakeNodeKind.Directory, [], 0x1ED, "");
                }
            }

            Nodes[normalized] = node;
        }

        public IEnumerable<(string Name, FakeNode Node)> Children(string dir)
        {
            if (!Nodes.TryGetValue(dir, out var node))
            {
                throw ContreeException.NotFound($"Path not found in image {Uuid}: {dir}");
            }

            if (node.Kind != FakeNodeKind.Directory)
            {
                throw ContreeException.InvalidArgument($"Not a directory in image {Uuid}: {dir}");
            }

            var prefix = dir == "/" ? "/" : dir + "/";
            return Nodes.Where(kv => kv.Key.Length > prefix.Length && kv.Key.StartsWith(prefix, StringComparison.Ordinal)
                    && kv.Key.IndexOf('/', prefix.Length) < 0)
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (kv.Key[prefix.Length..], kv.Value))
                .ToList();
        }

        public FakeImage CloneAs(string uuid, string createdAt)
        {
            var copy = new FakeImage(uuid, createdAt);
            foreach (var (path, node) in Nodes)
            {
                copy.Nodes[path] = node;
            }

            return copy;
        }
    }
}
