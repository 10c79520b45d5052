using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Seccomp
{
    // seccomp_export_bpf: https://man7.org/linux/man-pages/man3/seccomp_export_bpf.3.html
    // Writes the compiled program (struct sock_filter[]) to the descriptor, which is what bwrap --seccomp reads.
    [LibraryImport(Library, EntryPoint = "seccomp_export_bpf")]
    internal static partial int ExportBpf(IntPtr context, int fd);
}
