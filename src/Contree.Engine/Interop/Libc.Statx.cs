using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    /// <summary>statx mask: the fields of <c>stat</c> (type, mode, nlink, uid, gid, times, ino, size, blocks).</summary>
    internal const uint STATX_BASIC_STATS = 0x7ff;

    // statx: https://man7.org/linux/man-pages/man2/statx.2.html. Used instead of lstat because struct statx has
    // the same layout on every architecture.
    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(int directoryFd, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary><c>struct statx</c> (linux/stat.h): 256 bytes; only the fields the engine reads are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    internal struct StatxBuffer
    {
        [FieldOffset(16)]
        public uint Nlink;

        [FieldOffset(20)]
        public uint Uid;

        [FieldOffset(24)]
        public uint Gid;

        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(32)]
        public ulong Ino;

        [FieldOffset(40)]
        public ulong Size;

        [FieldOffset(48)]
        public ulong Blocks;

        [FieldOffset(64)]
        public long AtimeSeconds;

        [FieldOffset(72)]
        public uint AtimeNanoseconds;

        [FieldOffset(112)]
        public long MtimeSeconds;

        [FieldOffset(120)]
        public uint MtimeNanoseconds;

        [FieldOffset(128)]
        public uint RdevMajor;

        [FieldOffset(132)]
        public uint RdevMinor;

        [FieldOffset(136)]
        public uint DevMajor;

        [FieldOffset(140)]
        public uint DevMinor;
    }
}
