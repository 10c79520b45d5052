using Contree.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

using Contree.Tests.Common;

namespace Contree.Engine.Tests.Backend;

public sealed class EngineServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddContreeEngine_Resolved_OneSingletonForBothContractsAndHostedService()
    {
        await using var engine = new EngineFixture();

        var backend = engine.Get<IContreeBackend>();
        var completion = engine.Get<IOperationCompletion>();

        Assert.Same(backend, completion);
        Assert.Same(engine.Backend, backend);
        Assert.Contains(engine.Provider.GetServices<IHostedService>(), s => s is EngineHost);
        Assert.True(File.Exists(Path.Combine(engine.DataDirectory, "engine.db")));
        foreach (var dir in (string[])["blobs/sha256", "ingest", "layers", "staging", "runs"])
        {
            Assert.True(Directory.Exists(Path.Combine(engine.DataDirectory, dir)), dir);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(500)]
    public void AddContreeEngine_MaxLayerDepthOutOfRange_ValidationFails(int depth)
    {
        using var directory = new TestDirectory();
        var services = new ServiceCollection();
        services.AddContreeEngine(o =>
        {
            o.DataDirectory = directory.Combine("data");
            o.MaxLayerDepth = depth;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EngineOptions>>().Value);

        Assert.Contains("MaxLayerDepth", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultDataDirectory_XdgDataHome_Used()
    {
        var expected = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg
            ? Path.Combine(xdg, "contree-mcp")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "contree-mcp");

        Assert.Equal(expected, new EngineOptions().DataDirectory);
    }

    [Fact]
    public async Task GetImage_UpperCaseUuid_Found()
    {
        await using var engine = new EngineFixture();
        var image = engine.CreateBusyboxImage();

        var found = await engine.Backend.GetImageAsync(image.ToUpperInvariant(), TestContext.Current.CancellationToken);

        Assert.Equal(image, found.Uuid);
    }

    [Fact]
    public void AddContreeEngine_TwoDataDirectories_DistinctCgroupNames()
    {
        using var directory = new TestDirectory();

        var names = (string[])["a", "b", "a"];
        var resolved = names.Select(name =>
        {
            var services = new ServiceCollection();
            services.AddContreeEngine(o => o.DataDirectory = directory.Combine(name));
            using var provider = services.BuildServiceProvider();
            return provider.GetRequiredService<Contree.Engine.Runtime.RuntimeOptions>().CgroupName;
        }).ToList();

        Assert.NotEqual(resolved[0], resolved[1]);
        Assert.Equal(resolved[0], resolved[2]);
        Assert.Matches("^contree-[0-9a-f]{12}$", resolved[0]);
    }
}
