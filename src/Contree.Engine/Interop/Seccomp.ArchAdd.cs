using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Seccomp
{
    // seccomp_arch_add: https://man7.org/linux/man-pages/man3/seccomp_arch_add.3.html
    [LibraryImport(Library, EntryPoint = "seccomp_arch_add")]
    internal static partial int ArchAdd(IntPtr context, uint arch);
}
