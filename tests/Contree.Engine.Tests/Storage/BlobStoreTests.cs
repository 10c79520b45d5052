using System.Security.Cryptography;
using Contree.Core.Errors;

namespace Contree.Engine.Tests.Storage;

public sealed class BlobStoreTests
{
    [Fact]
    public async Task IngestAsync_Content_StoredUnderItsSha256()
    {
        using var fixture = new StoreFixture();
        var data = RandomNumberGenerator.GetBytes(200_000);
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

        var digest = await fixture.Blobs.IngestAsync(new MemoryStream(data), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(expected, digest);
        var path = fixture.Blobs.TryGetPath(digest);
        Assert.NotNull(path);
        Assert.Equal(data, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Ingest));
    }

    [Fact]
    public async Task IngestAsync_DigestMismatch_ThrowsAndStoresNothing()
    {
        using var fixture = new StoreFixture();
        var wrong = "sha256:" + new string('a', 64);

        var error = await Assert.ThrowsAsync<ContreeException>(() =>
            fixture.Blobs.IngestAsync(new MemoryStream("hello"u8.ToArray()), wrong, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("digest mismatch", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Blobs));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Ingest));
        Assert.Null(fixture.Blobs.TryGetPath(wrong));
    }

    [Fact]
    public async Task IngestAsync_OverMaxBytes_ThrowsAndStoresNothing()
    {
        using var fixture = new StoreFixture();

        var error = await Assert.ThrowsAsync<ContreeException>(() =>
            fixture.Blobs.IngestAsync(new MemoryStream(new byte[1000]), maxBytes: 999, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains("999", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Blobs));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Ingest));
    }

    [Fact]
    public async Task IngestAsync_SameContentConcurrently_OneCompleteBlob()
    {
        using var fixture = new StoreFixture();
        var data = RandomNumberGenerator.GetBytes(1_000_000);

        var digests = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => fixture.Blobs.IngestAsync(new MemoryStream(data), cancellationToken: TestContext.Current.CancellationToken))));

        Assert.Single(digests.Distinct());
        Assert.Single(Directory.EnumerateFiles(fixture.Paths.Blobs));
        Assert.Equal(data, await File.ReadAllBytesAsync(fixture.Blobs.TryGetPath(digests[0])!, TestContext.Current.CancellationToken));
        Assert.Empty(Directory.EnumerateFileSystemEntries(fixture.Paths.Ingest));
    }

    [Theory]
    [InlineData("sha256:abc")]
    [InlineData("md5:00000000000000000000000000000000")]
    [InlineData("sha256:zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz")]
    public async Task IngestAsync_MalformedExpectedDigest_InvalidArgument(string digest)
    {
        using var fixture = new StoreFixture();

        var error = await Assert.ThrowsAsync<ContreeException>(() =>
            fixture.Blobs.IngestAsync(new MemoryStream([1]), digest, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(digest, error.Message, StringComparison.Ordinal);
    }
}
