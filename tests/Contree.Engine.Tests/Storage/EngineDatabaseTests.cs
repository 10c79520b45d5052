using Contree.Core.Models;
using Contree.Engine.Storage;
using Microsoft.Data.Sqlite;

using Contree.Tests.Common;

namespace Contree.Engine.Tests.Storage;

public sealed class EngineDatabaseTests
{
    [Fact]
    public void Reopen_ImagesOperationsFilesAndLayers_Persist()
    {
        using var directory = new TestDirectory();
        var paths = new EnginePaths(directory.Combine("data"));
        paths.EnsureCreated();
        var image = StoreFixture.NewImage(["0123456789abcdef0123456789abcdef"], tag: "base:1") with
        {
            Env = ["PATH=/bin", "LANG=C"],
            WorkingDir = "/work",
            Origin = "docker://127.0.0.1:5000/busybox:1",
        };
        var instance = new InstanceMetadata { Command = "echo hi", Image = image.Uuid, Env = new Dictionary<string, string> { ["A"] = "1" } };
        string fileUuid;
        {
            var database = new EngineDatabase(paths);
            new ImageStore(database).Insert(image);
            new OperationStore(database).Insert(new OperationRecord("op-1", OperationKind.Instance, OperationStatus.Pending, null, instance, null, Timestamps.Format(DateTimeOffset.UtcNow), null, 0));
            new OperationStore(database).Finish("op-1", OperationStatus.Success, null, instance, new OperationResult { Image = image.Uuid }, Timestamps.Format(DateTimeOffset.UtcNow), 1.5);
            fileUuid = new FileStore(database, TimeProvider.System).GetOrCreate(new string('f', 64), 3).Uuid;
            SqliteConnection.ClearAllPools();
        }

        var reopened = new EngineDatabase(paths);

        var readImage = new ImageStore(reopened).Get(image.Uuid);
        Assert.NotNull(readImage);
        Assert.Equal(image.Layers, readImage.Layers);
        Assert.Equal(image.Env, readImage.Env);
        Assert.Equal("base:1", readImage.Tag);
        Assert.Equal("/work", readImage.WorkingDir);
        Assert.Equal(image.Origin, readImage.Origin);
        var op = new OperationStore(reopened).Get("op-1");
        Assert.NotNull(op);
        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Equal(image.Uuid, op.Result?.Image);
        Assert.Equal(1.5, op.Duration);
        Assert.Equal("echo hi", Assert.IsType<InstanceMetadata>(op.Metadata).Command);
        Assert.Equal(fileUuid, new FileStore(reopened, TimeProvider.System).GetBySha256(new string('f', 64))?.Uuid);
        Assert.Equal(EngineDatabase.SchemaVersion, reopened.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "PRAGMA user_version";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }));
        Assert.Equal("wal", reopened.Read(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            return command.ExecuteScalar() as string;
        }));
    }

    [Fact]
    public void SetTag_TagOnAnotherImage_MovesIt()
    {
        using var fixture = new StoreFixture();
        var first = StoreFixture.NewImage(["0123456789abcdef0123456789abcdef"], tag: "app");
        var second = StoreFixture.NewImage(["0123456789abcdef0123456789abcdef"]);
        fixture.Images.Insert(first);
        fixture.Images.Insert(second);

        fixture.Images.SetTag(second.Uuid, "app");

        Assert.Null(fixture.Images.Get(first.Uuid)!.Tag);
        Assert.Equal(second.Uuid, fixture.Images.GetByTag("app")!.Uuid);
    }

    [Fact]
    public void GetOrCreate_SameContentTwice_SameUuid()
    {
        using var fixture = new StoreFixture();

        var first = fixture.Files.GetOrCreate(new string('a', 64), 10);
        var second = fixture.Files.GetOrCreate(new string('a', 64), 10);
        var other = fixture.Files.GetOrCreate(new string('b', 64), 10);

        Assert.Equal(first.Uuid, second.Uuid);
        Assert.NotEqual(first.Uuid, other.Uuid);
    }

    [Fact]
    public void Open_NewerSchemaVersion_Refused()
    {
        using var directory = new TestDirectory();
        var paths = new EnginePaths(directory.Combine("data"));
        paths.EnsureCreated();
        _ = new EngineDatabase(paths);
        using (var connection = new SqliteConnection($"Data Source={paths.Database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99";
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
        var error = Assert.Throws<InvalidOperationException>(() => new EngineDatabase(paths));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }
}
