namespace Contree.Engine.Tests.Storage;

public sealed class LayerStoreTests
{
    [Fact]
    public async Task CreateAsync_Populated_CommittedUnderLayersAndRecorded()
    {
        using var fixture = new StoreFixture();

        var id = await fixture.Layers.CreateAsync(
            "sha256:" + new string('1', 64),
            (dir, ct) => File.WriteAllTextAsync(Path.Combine(dir, "hello"), "hi", ct),
            TestContext.Current.CancellationToken);

        Assert.Equal(Path.Combine(fixture.Paths.Layers, id, "fs"), fixture.Layers.GetDirectory(id));
        Assert.Equal("hi", File.ReadAllText(Path.Combine(fixture.Layers.GetDirectory(id), "hello")));
        Assert.Equal(id, fixture.Layers.FindBySource("sha256:" + new string('1', 64)));
        Assert.True(fixture.Layers.Exists(id));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Staging));
    }

    [Fact]
    public async Task CreateAsync_SameDigestConcurrently_OneLayerAndStagingCleaned()
    {
        using var fixture = new StoreFixture();
        var digest = "sha256:" + new string('2', 64);
        using var bothPopulating = new Barrier(2);

        var ids = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => Task.Run(() => fixture.Layers.CreateAsync(
            digest,
            (dir, ct) =>
            {
                File.WriteAllText(Path.Combine(dir, "f"), i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                // Both callers are past the "already present?" check before either commits.
                bothPopulating.SignalAndWait(ct);
                return Task.CompletedTask;
            },
            TestContext.Current.CancellationToken))));

        Assert.Equal(ids[0], ids[1]);
        Assert.Single(Directory.EnumerateDirectories(fixture.Paths.Layers));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Staging));
    }

    [Fact]
    public async Task CreateAsync_PopulateThrows_NothingCommittedAndStagingDeleted()
    {
        using var fixture = new StoreFixture();
        var digest = "sha256:" + new string('3', 64);

        await Assert.ThrowsAsync<InvalidDataException>(() => fixture.Layers.CreateAsync(
            digest,
            (dir, _) =>
            {
                File.WriteAllText(Path.Combine(dir, "partial"), "x");
                throw new InvalidDataException("bad tar");
            },
            TestContext.Current.CancellationToken));

        Assert.Null(fixture.Layers.FindBySource(digest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Staging));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Layers));
    }

    [Fact]
    public void CommitDirectory_Upper_MovedByRenameKeepingInode()
    {
        using var fixture = new StoreFixture();
        var upper = Path.Combine(fixture.Paths.Runs, "op", "upper");
        Directory.CreateDirectory(upper);
        File.WriteAllText(Path.Combine(upper, "new"), "content");
        var inodeBefore = Engine.Inspect.HostFs.Lstat(upper).Inode;

        var id = fixture.Layers.CommitDirectory(upper);

        Assert.False(Directory.Exists(upper));
        var committed = fixture.Layers.GetDirectory(id);
        Assert.Equal("content", File.ReadAllText(Path.Combine(committed, "new")));
        Assert.Equal(inodeBefore, Engine.Inspect.HostFs.Lstat(committed).Inode);
        Assert.True(fixture.Layers.Exists(id));
    }

    [Fact]
    public void GetDirectory_IdWithPathCharacters_Rejected()
    {
        using var fixture = new StoreFixture();

        Assert.Throws<ArgumentException>(() => fixture.Layers.GetDirectory("../../etc"));
    }
}
