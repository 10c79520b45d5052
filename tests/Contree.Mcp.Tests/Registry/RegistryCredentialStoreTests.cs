using Contree.Core.Errors;
using Contree.Mcp.Registry;
using Microsoft.Extensions.Options;

using Contree.Tests.Common;

namespace Contree.Mcp.Tests.Registry;

public sealed class RegistryCredentialStoreTests : IDisposable
{
    private const string Secret = "dckr_pat_SECRET-123";
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string FilePath => _dir.Combine("private/creds/registry-credentials.json");

    private RegistryCredentialStore Create() =>
        new(Options.Create(new ContreeMcpOptions { RegistryCredentialsPath = FilePath }));

    private static RegistryCredential Credential(string registry = "docker.io", string token = Secret) =>
        new(registry, "alice", token, ["pull"], new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    [Fact]
    public void Save_NewFile_Mode0600InParent0700()
    {
        Create().Save(Credential());

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(FilePath)!));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(FilePath)!, "*.tmp"));
    }

    [Fact]
    public void Save_ThenGetFromNewInstance_RoundTrips()
    {
        Create().Save(Credential());
        Create().Save(Credential("ghcr.io", "ghp_other"));

        var store = Create();

        var stored = store.Get("docker.io")!;
        Assert.Equal(("docker.io", "alice", Secret, Credential().CreatedAt), (stored.Registry, stored.Username, stored.Token, stored.CreatedAt));
        Assert.Equal(["pull"], stored.Scopes);
        Assert.Equal("ghp_other", store.Get("GHCR.io")!.Token);
        Assert.Null(store.Get("quay.io"));
    }

    [Fact]
    public void Save_ExistingFileWithLooseMode_ReplacedWith0600()
    {
        Create().Save(Credential());
        File.SetUnixFileMode(FilePath, (UnixFileMode)0x1B6);

        Create().Save(Credential(token: "new"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
        Assert.Equal("new", Create().Get("docker.io")!.Token);
    }

    [Fact]
    public void Remove_Existing_TrueThenFalse()
    {
        var store = Create();
        store.Save(Credential());

        Assert.True(store.Remove("docker.io"));
        Assert.False(store.Remove("docker.io"));
        Assert.Null(store.Get("docker.io"));
    }

    [Fact]
    public void ToString_Credential_HidesToken()
    {
        var text = Credential().ToString();

        Assert.DoesNotContain(Secret, text);
        Assert.Contains("alice", text);
        Assert.Contains("docker.io", text);
    }

    [Fact]
    public void Get_CorruptFile_ErrorNamesFileButNotContent()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        File.WriteAllText(FilePath, "{\"credentials\": [{\"token\": \"" + Secret + "\"");

        var ex = Assert.Throws<ContreeException>(() => Create().Get("docker.io"));

        Assert.Contains(FilePath, ex.Message);
        Assert.DoesNotContain(Secret, ex.Message);
    }
}
