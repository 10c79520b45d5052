using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Seccomp
{
    // seccomp_syscall_resolve_num_arch: https://man7.org/linux/man-pages/man3/seccomp_syscall_resolve_name.3.html
    // Returns a string the caller frees with free(3), or NULL for a number the architecture does not have.
    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_num_arch")]
    internal static partial IntPtr SyscallResolveNumArch(uint arch, int number);
}
