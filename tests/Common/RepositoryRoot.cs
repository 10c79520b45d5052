namespace Contree.Tests.Common;

/// <summary>
/// The repository's root directory, found from the test binary (artifacts/ lives below it). Not [CallerFilePath]: CI
/// builds are deterministic and map source paths to "/_/".
/// </summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Contree.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Contree.slnx not found above {AppContext.BaseDirectory}");
    }
}
