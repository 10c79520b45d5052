using Contree.Mcp.Files;

using Contree.Tests.Common;

namespace Contree.Mcp.Tests.Files;

public sealed class AtomicFileWriterTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] TempFiles() => Directory.GetFiles(_dir.Path, AtomicFileWriter.TempPrefix + "*");

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(100, 10)]
    [InlineData(1024, 100)]
    [InlineData(10 * 1024, 1024)]
    [InlineData(100 * 1024, 10 * 1024)]
    [InlineData(1024 * 1024, 64 * 1024)]
    [InlineData(5 * 1024 * 1024, 64 * 1024)]
    [InlineData(1024, 1)]
    [InlineData(1024 * 1024, 1024 * 1024)]
    [InlineData(100, 1000)]
    public async Task WriteAsync_Chunks_WritesExactContentAndSizeWithoutTempFile(int total, int chunk)
    {
        var chunks = ChunkedStream.Split(total, chunk);
        var destination = _dir.Combine("out.bin");

        var written = await AtomicFileWriter.WriteAsync(destination, new ChunkedStream(chunks), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(total, written);
        Assert.Equal(chunks.SelectMany(c => c).ToArray(), await File.ReadAllBytesAsync(destination, TestContext.Current.CancellationToken));
        Assert.Empty(TempFiles());
    }

    [Theory]
    [InlineData(100, 10, 0)]
    [InlineData(100, 10, 1)]
    [InlineData(100, 10, 5)]
    [InlineData(100, 10, 9)]
    [InlineData(1024, 100, 5)]
    [InlineData(100 * 1024, 1024, 50)]
    public async Task WriteAsync_StreamFails_RethrowsOriginalAndLeavesNothing(int total, int chunk, int failAt)
    {
        var failure = new InvalidOperationException("Custom error message");
        var stream = new ChunkedStream(ChunkedStream.Split(total, chunk), failAt, failure);
        var destination = _dir.Combine("out.bin");

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => AtomicFileWriter.WriteAsync(destination, stream, cancellationToken: TestContext.Current.CancellationToken));

        Assert.Same(failure, ex);
        Assert.False(File.Exists(destination));
        Assert.Empty(TempFiles());
        Assert.Equal(failAt + 1, stream.Reads); // stopped consuming at the failing chunk
    }

    [Fact]
    public async Task WriteAsync_StreamFails_ExistingDestinationKeepsContent()
    {
        var destination = _dir.Write("out.txt", "old content");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            AtomicFileWriter.WriteAsync(destination, new ChunkedStream(ChunkedStream.Split(1024, 100), 3), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("old content", await File.ReadAllTextAsync(destination, TestContext.Current.CancellationToken));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task WriteAsync_ExistingDestination_Replaced()
    {
        var destination = _dir.Write("out.txt", "old content");

        await AtomicFileWriter.WriteAsync(destination, new MemoryStream("new content"u8.ToArray()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("new content", await File.ReadAllTextAsync(destination, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task WriteAsync_MidWrite_OnlyTempFileInSameDirectoryExists()
    {
        var destination = _dir.Combine("out.txt");
        var observations = new List<(bool Destination, int Temps)>();
        var stream = new ChunkedStream(ChunkedStream.Split(50, 10))
        {
            OnRead = _ => observations.Add((File.Exists(destination), TempFiles().Length)),
        };

        await AtomicFileWriter.WriteAsync(destination, stream, cancellationToken: TestContext.Current.CancellationToken);

        Assert.All(observations, o => Assert.Equal((false, 1), o));
        Assert.True(File.Exists(destination));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task WriteAsync_DestinationIsDirectory_FailsAndRemovesTemp()
    {
        var destination = _dir.Combine("sub");
        Directory.CreateDirectory(destination);
        File.WriteAllText(Path.Combine(destination, "inside.txt"), "keep");

        var ex = await Assert.ThrowsAsync<IOException>(() =>
            AtomicFileWriter.WriteAsync(destination, new MemoryStream([1, 2, 3]), cancellationToken: TestContext.Current.CancellationToken));

        Assert.Contains(destination, ex.Message);
        Assert.True(Directory.Exists(destination));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(destination, "inside.txt")));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task WriteAsync_Cancelled_RemovesTempAndKeepsDestination()
    {
        var destination = _dir.Write("out.txt", "old");
        using var cts = new CancellationTokenSource();
        var stream = new ChunkedStream(ChunkedStream.Split(100, 10)) { OnRead = chunk => { if (chunk == 3) { cts.Cancel(); } } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFileWriter.WriteAsync(destination, stream, cancellationToken: cts.Token));

        Assert.Equal("old", File.ReadAllText(destination));
        Assert.Empty(TempFiles());
    }

    [Fact]
    public async Task WriteAsync_AdjustMode_AppliedBeforeFileAppears()
    {
        var destination = _dir.Combine("tool");

        await AtomicFileWriter.WriteAsync(destination, new MemoryStream([1]), _ => (UnixFileMode)0x1C0, TestContext.Current.CancellationToken);

        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(destination));
    }

    [Fact]
    public async Task WriteAsync_AllByteValues_RoundTrip()
    {
        var bytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var destination = _dir.Combine("bytes.bin");

        await AtomicFileWriter.WriteAsync(destination, new ChunkedStream([bytes[..100], [], bytes[100..]]), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(bytes, File.ReadAllBytes(destination));
    }

    [Theory]
    [InlineData("файл-données-文件.txt")]
    [InlineData("a")]
    public async Task WriteAsync_UnusualNames_Work(string name)
    {
        var fileName = name == "a" ? new string('a', 200) : name;
        var destination = _dir.Combine(fileName);

        await AtomicFileWriter.WriteAsync(destination, new MemoryStream("hello"u8.ToArray()), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("hello", File.ReadAllText(destination));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentWriters_DoNotInterfere()
    {
        var tasks = Enumerable.Range(0, 10).Select(i =>
            AtomicFileWriter.WriteAsync(_dir.Combine($"f{i}.txt"), new ChunkedStream(ChunkedStream.Split(1000 + i, 7)), cancellationToken: TestContext.Current.CancellationToken));

        var sizes = await Task.WhenAll(tasks);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)(1000 + i)), sizes);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ChunkedStream.Split(1000 + i, 7).SelectMany(c => c), File.ReadAllBytes(_dir.Combine($"f{i}.txt")));
        }

        Assert.Empty(TempFiles());
    }
}
