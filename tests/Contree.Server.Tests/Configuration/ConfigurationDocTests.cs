using Contree.Server.Configuration;
using Contree.Tests.Common;

namespace Contree.Server.Tests.Configuration;

/// <summary>docs/configuration.md documents every row of the settings table.</summary>
public sealed class ConfigurationDocTests
{
    [Fact]
    public void ConfigurationDoc_EverySetting_HasItsRow()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "configuration.md"));

        foreach (var definition in SettingDefinitions.All)
        {
            Assert.Contains($"| `{definition.Flag}` | `{definition.EnvVar}` | `{definition.IniLocation}` | {definition.DefaultText} |", doc, StringComparison.Ordinal);
        }
    }
}
