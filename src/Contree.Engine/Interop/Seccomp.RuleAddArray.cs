using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Seccomp
{
    // seccomp_rule_add_array: https://man7.org/linux/man-pages/man3/seccomp_rule_add.3.html
    [LibraryImport(Library, EntryPoint = "seccomp_rule_add_array")]
    internal static partial int RuleAddArray(IntPtr context, uint action, int syscall, uint argCount, [In] ScmpArgCmp[]? args);
}
