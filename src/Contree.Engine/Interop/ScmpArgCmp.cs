using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

/// <summary>struct scmp_arg_cmp of seccomp.h: compare system call argument <see cref="Arg"/> with <see cref="Op"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ScmpArgCmp
{
    /// <summary>SCMP_CMP_EQ.</summary>
    internal const int CmpEq = 4;

    /// <summary>SCMP_CMP_MASKED_EQ: (arg &amp; DatumA) == DatumB.</summary>
    internal const int CmpMaskedEq = 7;

    public uint Arg;
    public int Op;
    public ulong DatumA;
    public ulong DatumB;

    public static ScmpArgCmp Equal(uint arg, ulong value) => new() { Arg = arg, Op = CmpEq, DatumA = value };

    public static ScmpArgCmp MaskedEqual(uint arg, ulong mask, ulong value) => new() { Arg = arg, Op = CmpMaskedEq, DatumA = mask, DatumB = value };
}
