using Contree.Core.Errors;
using Contree.Core.References;

namespace Contree.Core.Tests.References;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("tag:python:3.11", "python:3.11")]
    [InlineData("tag:common%2Fpython-ml%2Fpython:3.11-slim", "common/python-ml/python:3.11-slim")]
    [InlineData("tag:common/python", "common/python")]
    public void Parse_Tag_IsPercentDecoded(string text, string tag)
    {
        var reference = ImageReference.Parse(text);

        Assert.True(reference.IsTag);
        Assert.Equal(tag, reference.Tag);
    }

    [Fact]
    public void Parse_Uuid_KeepsUuid()
    {
        var uuid = Guid.NewGuid();

        var reference = ImageReference.Parse(uuid.ToString().ToUpperInvariant());

        Assert.Equal(uuid, reference.Uuid);
        Assert.Equal(uuid.ToString("D"), reference.ToString());
    }

    [Theory]
    [InlineData("python:3.11")]
    [InlineData("tag:")]
    [InlineData("")]
    [InlineData("nonexistent")]
    public void Parse_Invalid_ThrowsInvalidArgumentNamingBothForms(string text)
    {
        var error = Assert.Throws<ContreeException>(() => ImageReference.Parse(text));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("Invalid image reference", error.Message);
        Assert.Contains("tag:", error.Message);
    }
}
