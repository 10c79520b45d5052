using System.Text.Json;

namespace Contree.Engine.Runtime;

/// <summary>
/// Reads what <c>bwrap --json-status-fd</c> wrote: one JSON object per line, <c>{ "child-pid": N }</c> at start and
/// <c>{ "exit-code": N }</c> when the command's process tree ended (bwrap(1)). The exit code is the command's own
/// answer, which tells a command that exited just before its time limit from one the limit killed.
/// </summary>
internal static class BwrapStatus
{
    /// <summary>What bwrap reported; nothing when the file is missing (bwrap never got to open it).</summary>
    public static BwrapReport Read(string path)
    {
        if (!File.Exists(path))
        {
            return default;
        }

        var started = false;
        int? exitCode = null;
        foreach (var line in File.ReadLines(path))
        {
            var text = line.Trim();
            if (text.Length == 0)
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                started |= document.RootElement.TryGetProperty("child-pid", out _);
                if (document.RootElement.TryGetProperty("exit-code", out var code) && code.TryGetInt32(out var value))
                {
                    exitCode = value;
                }
            }
            catch (JsonException)
            {
                // A line cut short by a kill: nothing reported on it.
            }
        }

        return new BwrapReport(started, exitCode);
    }
}
