using System.Globalization;

namespace Contree.Bench;

/// <summary>
/// CPU time at one moment: the machine's busy and total jiffies (/proc/stat "cpu" line) and a process's own user and
/// system time and its reaped children's CPU time (/proc/&lt;pid&gt;/stat utime, stime, cutime, cstime; proc(5)), in milliseconds.
/// </summary>
internal sealed record CpuSample(long MachineBusy, long MachineTotal, double UserMs, double SystemMs, double ChildrenMs)
{
    /// <summary>USER_HZ; 100 on every Linux architecture the product runs on (proc(5), sysconf(_SC_CLK_TCK)).</summary>
    private const double TicksPerSecond = 100;

    public static CpuSample Take(int pid)
    {
        var cpu = File.ReadLines("/proc/stat").First(static l => l.StartsWith("cpu ", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(static v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var total = cpu.Take(8).Sum();
        var idle = cpu[3] + cpu[4];
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // After "(comm) ": state is field 3, so utime (14) is index 11, stime 12, cutime 13, cstime 14.
        double Ticks(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture) * 1000 / TicksPerSecond;
        return new CpuSample(total - idle, total, Ticks(11), Ticks(12), Ticks(13) + Ticks(14));
    }

    /// <summary>Share of the machine's CPU that was busy (all processes, all cores) between two samples.</summary>
    public static double BusyShare(CpuSample before, CpuSample after) =>
        after.MachineTotal == before.MachineTotal ? 0 : (double)(after.MachineBusy - before.MachineBusy) / (after.MachineTotal - before.MachineTotal);
}
