using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

/// <summary>
/// P/Invoke declarations of libc, one syscall per file (<c>Libc.Mount.cs</c>, <c>Libc.Mknod.cs</c>, …), each
/// citing its man page. Calls return -1 and set errno; wrap them with <see cref="CheckIo"/> to get an
/// <see cref="IOException"/> that names the path.
/// </summary>
internal static partial class Libc
{
    internal const string Library = "libc";

    /// <summary>Throws an <see cref="IOException"/> naming <paramref name="path"/> and the errno text when <paramref name="result"/> is -1.</summary>
    internal static int CheckIo(int result, string path, string operation)
    {
        if (result == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"{operation} '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
        }

        return result;
    }
}
