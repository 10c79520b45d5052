namespace Contree.Engine.Inspect;

/// <summary>What lstat-like inspection reports about one host path (from statx(2), never following symlinks).</summary>
internal readonly record struct FileStat(
    int Mode,
    uint Uid,
    uint Gid,
    long Size,
    long Blocks,
    uint Nlink,
    ulong Inode,
    ulong Device,
    long AtimeSeconds,
    uint AtimeNanoseconds,
    long MtimeSeconds,
    uint MtimeNanoseconds,
    uint RdevMajor,
    uint RdevMinor)
{
    // File type bits of st_mode (inode(7)).
    public const int TypeMask = 0xF000;
    public const int TypeSocket = 0xC000;
    public const int TypeSymlink = 0xA000;
    public const int TypeRegular = 0x8000;
    public const int TypeBlock = 0x6000;
    public const int TypeDirectory = 0x4000;
    public const int TypeCharacter = 0x2000;
    public const int TypeFifo = 0x1000;

    public int Type => Mode & TypeMask;

    /// <summary>Permission bits including setuid, setgid and sticky (07777).</summary>
    public int Permissions => Mode & 0xFFF;

    public bool IsDirectory => Type == TypeDirectory;

    public bool IsRegular => Type == TypeRegular;

    public bool IsSymlink => Type == TypeSymlink;

    public bool IsSocket => Type == TypeSocket;

    public bool IsFifo => Type == TypeFifo;

    public bool IsDevice => Type is TypeCharacter or TypeBlock;

    /// <summary>An overlayfs whiteout: a character device 0/0 that hides the name in lower layers.</summary>
    public bool IsWhiteout => Type == TypeCharacter && RdevMajor == 0 && RdevMinor == 0;

    /// <summary>glibc's makedev(3) encoding of <see cref="RdevMajor"/>/<see cref="RdevMinor"/>, as mknod(2) expects.</summary>
    public ulong RawDevice =>
        ((ulong)(RdevMajor & 0xfffff000) << 32) | ((ulong)(RdevMajor & 0xfff) << 8) |
        ((ulong)(RdevMinor & 0xffffff00) << 12) | (RdevMinor & 0xff);
}
