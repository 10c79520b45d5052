using System.Diagnostics;

namespace Contree.Server.Tests.Support;

/// <summary>Runs the real <c>contree-mcp</c> executable (the built Contree.Server dll) with a controlled environment.</summary>
internal static class ServerExecutable
{
    /// <summary><c>artifacts/bin/Contree.Server/&lt;config&gt;/contree-mcp.dll</c>, next to this test assembly's folder.</summary>
    public static string DllPath { get; } = FindDll();

    /// <summary>Environment for a run: HOME in <paramref name="home"/> and no CONTREE_MCP_* variable inherited.</summary>
    public static Dictionary<string, string?> Environment(string home)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal) { ["HOME"] = home, ["XDG_DATA_HOME"] = null };
        foreach (var key in System.Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (key.StartsWith("CONTREE_MCP_", StringComparison.Ordinal))
            {
                env[key] = null;
            }
        }

        return env;
    }

    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?> env)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in env)
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        return info;
    }

    /// <summary>Runs to completion with stdin closed at once; kills the process tree on timeout.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?> env)
    {
        using var process = Process.Start(StartInfo(args, env)) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindDll()
    {
        // <artifacts>/bin/Contree.Server.Tests/<config>/ → <artifacts>/bin/Contree.Server/<config>/contree-mcp.dll
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var candidate = Path.Combine(testDir.Parent!.Parent!.FullName, "Contree.Server", testDir.Name, "contree-mcp.dll");
        return File.Exists(candidate) ? candidate : Path.Combine(AppContext.BaseDirectory, "contree-mcp.dll");
    }
}
