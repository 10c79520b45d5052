using Contree.Server.Configuration;

namespace Contree.Server.Tests.Configuration;

/// <summary>docs/configuration.md documents every row of the settings table.</summary>
public sealed class ConfigurationDocTests
{
    [Fact]
    public void ConfigurationDoc_EverySetting_HasItsRow()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "configuration.md"));

        foreach (var definition in SettingDefinitions.All)
        {
            Assert.Contains($"| `{definition.Flag}` | `{definition.EnvVar}` | `{definition.IniLocation}` | {definition.DefaultText} |", doc, StringComparison.Ordinal);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Contree.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Contree.slnx not found above " + AppContext.BaseDirectory);
    }
}
