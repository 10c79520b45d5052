using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Seccomp
{
    /// <summary>__NR_SCMP_ERROR: the name is not a system call libseccomp knows.</summary>
    internal const int NrError = -1;

    // seccomp_syscall_resolve_name: https://man7.org/linux/man-pages/man3/seccomp_syscall_resolve_name.3.html
    // The number is native, or a negative pseudo number libseccomp maps for each architecture of the filter.
    [LibraryImport(Library, EntryPoint = "seccomp_syscall_resolve_name", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int SyscallResolveName(string name);
}
