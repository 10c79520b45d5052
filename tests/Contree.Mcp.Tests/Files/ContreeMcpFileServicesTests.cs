using Contree.Core;
using Contree.Mcp.Files;
using Contree.Mcp.Registry;
using Contree.Mcp.Sync;
using Contree.Tests.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Tests.Files;

public sealed class ContreeMcpFileServicesTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task AddContreeMcpFileServices_Registered_ResolvesSingletonsThatWork()
    {
        var options = new ContreeMcpOptions { FileCachePath = _dir.Combine("files.db"), RegistryCredentialsPath = _dir.Combine("creds.json") };
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IContreeBackend>(new FakeContreeBackend())
            .AddSingleton(Options.Create(options))
            .AddContreeMcpFileServices();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.Same(provider.GetRequiredService<FileSyncCache>(), provider.GetRequiredService<FileSyncCache>());
        Assert.NotNull(provider.GetRequiredService<FileUploader>());
        Assert.NotNull(provider.GetRequiredService<RegistryAuthenticator>());
        Assert.NotNull(provider.GetRequiredService<DesktopBrowser>());
        Assert.Equal(_dir.Combine("creds.json"), provider.GetRequiredService<RegistryCredentialStore>().Path);
        Assert.Equal(TimeSpan.FromSeconds(30), provider.GetRequiredService<IHttpClientFactory>().CreateClient(RegistryAuthenticator.HttpClientName).Timeout);

        _dir.Write("src/a.txt", "a");
        var result = await provider.GetRequiredService<DirectorySynchronizer>().SyncAsync(_dir.Combine("src"), "/app", null, TestContext.Current.CancellationToken);
        Assert.Single(Assert.IsType<DirectoryState>(provider.GetRequiredService<FileSyncCache>().GetDirectoryState(result.DirectoryStateId)).Files);
    }
}
