using System.Text.Json;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Core.Tests.Models;

public sealed class WireModelTests
{
    [Fact]
    public void OperationResponse_InstanceMetadata_RoundTripsAllFields()
    {
        const string json = """
            {"uuid":"op-1","status":"SUCCESS","kind":"instance","error":null,
             "metadata":{"command":"echo hello","image":"img","hostname":"linuxkit","args":[],"shell":true,"env":{"A":"1"},
               "cwd":"/root","disposable":true,"stdin":{"value":"","encoding":"ascii","truncated":false},"timeout":30,
               "truncate_output_at":8000,"files":{"/x":{"uuid":"f1","mode":"0644","uid":0,"gid":0}},
               "result":{"resources":{"elapsed_time":0.5,"user_cpu_time":3.1},
                 "state":{"exit_code":3,"pid":1,"signal":-1,"timed_out":false},
                 "stdout":{"value":"aGVsbG8gd29ybGQ=","encoding":"base64","truncated":true},
                 "stderr":{"value":"","encoding":"ascii","truncated":false}}},
             "result":{"image":"img-2","tag":null},"duration":1.5}
            """;

        var response = JsonSerializer.Deserialize(json, ContreeJsonContext.Default.OperationResponse)!;

        var instance = Assert.IsType<InstanceMetadata>(response.Metadata);
        Assert.Equal(OperationStatus.Success, response.Status);
        Assert.Equal(OperationKind.Instance, response.Kind);
        Assert.Equal("echo hello", instance.Command);
        Assert.Equal("1", instance.Env["A"]);
        Assert.Equal("f1", instance.Files["/x"].Uuid);
        Assert.Equal(3, instance.Result!.State.ExitCode);
        Assert.Equal("hello world", instance.Result.Stdout.ToText());
        Assert.True(instance.Result.Stdout.Truncated);
        Assert.Equal(3.1, instance.Result.Resources.UserCpuTime);
        Assert.Equal(-1, instance.Result.Resources.MaxRss);
        Assert.Equal("img-2", response.Result!.Image);

        var again = JsonSerializer.Deserialize(
            JsonSerializer.Serialize(response, ContreeJsonContext.Default.OperationResponse),
            ContreeJsonContext.Default.OperationResponse)!;
        Assert.Equal("hello world", again.Instance!.Result!.Stdout.ToText());
        Assert.Equal(8000, again.Instance.TruncateOutputAt);
    }

    [Fact]
    public void OperationResponse_UpperCaseKindAndImportMetadata_IsAccepted()
    {
        const string json = """
            {"uuid":"op-2","status":"executing","kind":"IMAGE_IMPORT",
             "metadata":{"registry":{"url":"docker://test","credentials":{"username":"","password":""}},"tag":"test:v1","timeout":300}}
            """;

        var response = JsonSerializer.Deserialize(json, ContreeJsonContext.Default.OperationResponse)!;

        Assert.Equal(OperationKind.ImageImport, response.Kind);
        Assert.Equal(OperationStatus.Executing, response.Status);
        Assert.Equal("docker://test", response.Import!.Registry.Url);
        Assert.Equal("test:v1", response.Import.Tag);
    }

    [Fact]
    public void OperationResponse_MetadataOfUnknownShape_ReadsAsNull()
    {
        var response = JsonSerializer.Deserialize(
            """{"status":"PENDING","kind":"instance","metadata":{"other":1}}""", ContreeJsonContext.Default.OperationResponse)!;

        Assert.Null(response.Metadata);
        Assert.Equal("", response.Uuid);
    }

    [Fact]
    public void OperationResponse_MissingStatus_IsAJsonError()
    {
        Assert.ThrowsAny<JsonException>(() =>
            JsonSerializer.Deserialize("""{"invalid":"data"}""", ContreeJsonContext.Default.OperationResponse));
    }

    [Fact]
    public void InstanceMetadata_Serialized_HasSnakeCaseAndExplicitNullResult()
    {
        var json = JsonSerializer.Serialize(
            new InstanceMetadata { Command = "ls", Image = "u", Shell = true }, ContreeJsonContext.Default.InstanceMetadata);

        Assert.Contains("\"truncate_output_at\":65536", json);
        Assert.Contains("\"result\":null", json);
        Assert.Contains("\"hostname\":\"linuxkit\"", json);
        Assert.Contains("\"stdin\":{\"value\":\"\",\"encoding\":\"ascii\",\"truncated\":false}", json);
    }

    [Fact]
    public void ImportImageMetadata_NullTag_IsOmitted()
    {
        var json = JsonSerializer.Serialize(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = "docker://alpine" } },
            ContreeJsonContext.Default.ImportImageMetadata);

        Assert.DoesNotContain("\"tag\"", json);
        Assert.Contains("\"credentials\":{\"username\":\"\",\"password\":\"\"}", json);
        Assert.Contains("\"timeout\":300", json);
    }

    [Fact]
    public void ParseOperationList_BareArrayOrObject_BothParse()
    {
        const string item = """{"uuid":"op-1","kind":"INSTANCE","status":"SUCCESS"}""";

        var fromArray = ContreeJson.ParseOperationList(System.Text.Encoding.UTF8.GetBytes($"[{item}]"));
        var fromObject = ContreeJson.ParseOperationList(System.Text.Encoding.UTF8.GetBytes($$"""{"operations":[{{item}}]}"""));

        Assert.Equal(OperationKind.Instance, Assert.Single(fromArray.Operations).Kind);
        Assert.Equal("op-1", Assert.Single(fromObject.Operations).Uuid);
    }

    [Fact]
    public void FileItem_OwnerAsNumberOrName_RoundTrips()
    {
        var item = JsonSerializer.Deserialize(
            """{"path":"a","size":1,"owner":0,"group":"wheel","mode":33188,"mtime":1,"is_dir":false,"is_regular":true,"is_symlink":false,"is_socket":false,"is_fifo":false}""",
            ContreeJsonContext.Default.DirectoryList is { } ? ContreeJsonContext.Default.FileItem : null!)!;

        Assert.Equal("0", item.Owner);
        Assert.Equal("wheel", item.Group);
        var json = JsonSerializer.Serialize(item, ContreeJsonContext.Default.FileItem);
        Assert.Contains("\"owner\":0", json);
        Assert.Contains("\"group\":\"wheel\"", json);
        Assert.Contains("\"symlink_to\":\"\"", json);
    }

    [Fact]
    public void Deserialize_MissingOptionalFields_KeepTheirDeclaredDefaults()
    {
        var image = JsonSerializer.Deserialize("""{"uuid":"x"}""", ContreeJsonContext.Default.Image)!;
        var response = JsonSerializer.Deserialize(
            """{"status":"SUCCESS","kind":"instance","metadata":{"command":"c","image":"i","result":{"stdout":{"value":"a"},"stderr":{"value":""}}}}""",
            ContreeJsonContext.Default.OperationResponse)!;

        Assert.Equal("", image.CreatedAt);
        Assert.Equal("", response.Uuid);
        var instance = response.Instance!;
        Assert.Equal("linuxkit", instance.Hostname);
        Assert.Equal("/root", instance.Cwd);
        Assert.Equal(60, instance.Timeout);
        Assert.Equal(65536, instance.TruncateOutputAt);
        Assert.Equal(StreamPayload.Ascii, instance.Result!.Stdout.Encoding);
        Assert.Equal(-1, instance.Result.State.Signal);
        Assert.Equal(-1, instance.Result.Resources.MaxRss);
        Assert.Equal(-1, instance.Result.Resources.UserCpuTime);
    }

    [Fact]
    public void ImageCredentials_Serialized_HasOnlyUsernameAndPassword()
    {
        var json = JsonSerializer.Serialize(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = "u", Credentials = new ImageCredentials { Username = "a", Password = "b" } } },
            ContreeJsonContext.Default.ImportImageMetadata);

        Assert.Contains("\"credentials\":{\"username\":\"a\",\"password\":\"b\"}", json);
        Assert.DoesNotContain("anonymous", json);
    }
}
