using Contree.Tests.Common;

namespace Contree.Mcp.Tests.Surface;

/// <summary>
/// A small approval helper: compares text with <c>&lt;name&gt;.verified.json</c> next to the calling test project. On a
/// mismatch it writes <c>&lt;name&gt;.received.json</c> and fails with a hint; a missing verified file is written once
/// and the test fails so the new snapshot gets reviewed.
/// </summary>
internal static class Approval
{
    public static void Verify(string name, string received)
    {
        var projectDirectory = ProjectDirectory();
        var verifiedPath = Path.Combine(projectDirectory, name + ".verified.json");
        var receivedPath = Path.Combine(projectDirectory, name + ".received.json");
        var normalized = received.ReplaceLineEndings("\n").TrimEnd() + "\n";
        if (!File.Exists(verifiedPath))
        {
            File.WriteAllText(verifiedPath, normalized);
            Assert.Fail($"No snapshot existed; wrote {verifiedPath}. Review it and run the test again.");
        }

        var verified = File.ReadAllText(verifiedPath).ReplaceLineEndings("\n");
        if (verified == normalized)
        {
            if (File.Exists(receivedPath))
            {
                File.Delete(receivedPath);
            }

            return;
        }

        File.WriteAllText(receivedPath, normalized);
        Assert.Fail($"Snapshot mismatch. Compare with: diff {verifiedPath} {receivedPath}; if the change is intended, move the received file over the verified one.");
    }

    /// <summary>The test project's source directory.</summary>
    private static string ProjectDirectory() => Path.Combine(RepositoryRoot.Path, "tests", "Contree.Mcp.Tests");
}
