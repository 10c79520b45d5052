using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

/// <summary>
/// P/Invoke declarations of libseccomp (Debian's <c>libseccomp2</c>), one function per file, each citing its man page.
/// The filter context is an opaque pointer; every call that can fail returns a negative errno.
/// </summary>
internal static partial class Seccomp
{
    internal const string Library = "libseccomp.so.2";

    /// <summary>SCMP_ACT_ALLOW (seccomp_init(3)).</summary>
    internal const uint ActAllow = 0x7fff0000;

    /// <summary>SCMP_ARCH_NATIVE: the architecture the engine runs on.</summary>
    internal const uint ArchNative = 0;

    /// <summary>SCMP_ARCH_X86 (AUDIT_ARCH_I386): 32-bit programs on an x86-64 host.</summary>
    internal const uint ArchX86 = 0x40000003;

    /// <summary>SCMP_ARCH_X86_64 (AUDIT_ARCH_X86_64).</summary>
    internal const uint ArchX8664 = 0xc000003e;

    /// <summary>SCMP_ACT_ERRNO(errno): the call fails with that errno (seccomp_rule_add(3)).</summary>
    internal static uint ActErrno(int errno) => 0x00050000u | ((uint)errno & 0xffff);

    /// <summary>Throws when a libseccomp call returned a negative errno.</summary>
    internal static void Check(int result, string operation)
    {
        if (result < 0)
        {
            throw new IOException($"libseccomp {operation} failed: {Marshal.GetPInvokeErrorMessage(-result)} (errno {-result})", -result);
        }
    }
}
