using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Seccomp
{
    // seccomp_init: https://man7.org/linux/man-pages/man3/seccomp_init.3.html
    [LibraryImport(Library, EntryPoint = "seccomp_init")]
    internal static partial IntPtr Init(uint defaultAction);
}
