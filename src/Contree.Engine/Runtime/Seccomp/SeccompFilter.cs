using System.Runtime.InteropServices;
using Contree.Engine.Interop;
using Native = Contree.Engine.Interop.Seccomp;

namespace Contree.Engine.Runtime.Seccomp;

/// <summary>
/// Compiles <see cref="SeccompPolicy"/> with libseccomp into the BPF program bwrap installs with <c>--seccomp</c>
/// (seccomp(2), SECCOMP_SET_MODE_FILTER). Compiled once per engine; bwrap sets no_new_privs and loads it last, after
/// its own setup, so the filter binds the command and everything it starts.
/// </summary>
internal static class SeccompFilter
{
    private const int Eperm = 1;
    private const int Enosys = 38;

    /// <summary>Highest system call number looked up per architecture (x86-64 ends near 460, x86 near 460).</summary>
    private const int MaxSyscallNumber = 1024;

    /// <summary>The compiled program (an array of struct sock_filter).</summary>
    public static byte[] Compile(string scratchDirectory)
    {
        // Calls this libseccomp does not know are newer than its table: ENOSYS makes libc fall back (glibc tries
        // fchmodat2, util-linux listmount) as it would on an older kernel, where EPERM would fail the operation.
        var context = Native.Init(Native.ActErrno(Enosys));
        if (context == IntPtr.Zero)
        {
            throw new IOException("libseccomp seccomp_init failed");
        }

        try
        {
            foreach (var arch in SeccompPolicy.ExtraArchitectures())
            {
                Native.Check(Native.ArchAdd(context, arch), "seccomp_arch_add");
            }

            foreach (var name in KnownSyscalls(SeccompPolicy.ExtraArchitectures()))
            {
                if (!SeccompPolicy.Denied.Contains(name))
                {
                    AddRule(context, Native.ActAllow, name);
                }
            }

            foreach (var name in SeccompPolicy.Denied.Except(SeccompPolicy.Conditional))
            {
                AddRule(context, Native.ActErrno(Eperm), name);
            }

            // clone's flags are its first argument on x86-64, x86 and arm64. The refusing rules overlap only each other.
            AddRule(context, Native.ActAllow, "clone", ScmpArgCmp.MaskedEqual(0, SeccompPolicy.CloneNamespaceFlags, 0));
            foreach (var flag in SeccompPolicy.CloneNamespaceFlagList)
            {
                AddRule(context, Native.ActErrno(Eperm), "clone", ScmpArgCmp.MaskedEqual(0, flag, flag));
            }

            // clone3 is left to the default, ENOSYS: its flags sit in memory a filter cannot read, and glibc falls back
            // to clone when it is missing. (libseccomp refuses a rule whose action is the default one.)

            // Other personalities fall to the default (ENOSYS): libseccomp 2.5 cannot express "none of these values".
            foreach (var persona in SeccompPolicy.AllowedPersonalities)
            {
                AddRule(context, Native.ActAllow, "personality", ScmpArgCmp.Equal(0, persona));
            }

            return Export(context, scratchDirectory);
        }
        finally
        {
            Native.Release(context);
        }
    }

    /// <summary>Every system call name libseccomp knows for the native and the extra architectures.</summary>
    private static SortedSet<string> KnownSyscalls(IEnumerable<uint> extraArchitectures)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var arch in extraArchitectures.Prepend(Native.ArchNative))
        {
            for (var number = 0; number < MaxSyscallNumber; number++)
            {
                var pointer = Native.SyscallResolveNumArch(arch, number);
                if (pointer == IntPtr.Zero)
                {
                    continue;
                }

                try
                {
                    names.Add(Marshal.PtrToStringUTF8(pointer)!);
                }
                finally
                {
                    Libc.Free(pointer);
                }
            }
        }

        return names;
    }

    private static void AddRule(IntPtr context, uint action, string name, params ScmpArgCmp[] conditions)
    {
        var number = Native.SyscallResolveName(name);
        if (number == Native.NrError)
        {
            // A name this libseccomp does not know on any architecture: nothing to allow or refuse.
            return;
        }

        Native.Check(Native.RuleAddArray(context, action, number, (uint)conditions.Length, conditions.Length == 0 ? null : conditions), $"seccomp_rule_add({name})");
    }

    /// <summary>seccomp_export_bpf writes to a descriptor (libseccomp 2.5 has no in-memory export).</summary>
    private static byte[] Export(IntPtr context, string scratchDirectory)
    {
        var path = Path.Combine(scratchDirectory, $".seccomp-{Guid.NewGuid():N}.bpf");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite };
            using (var file = new FileStream(path, options))
            {
                Native.Check(Native.ExportBpf(context, (int)file.SafeFileHandle.DangerousGetHandle()), "seccomp_export_bpf");
            }

            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
