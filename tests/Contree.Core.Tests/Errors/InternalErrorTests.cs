using System.Text.RegularExpressions;
using Contree.Core.Errors;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging;

namespace Contree.Core.Tests.Errors;

public sealed partial class InternalErrorTests
{
    [GeneratedRegex("^internal error (?<id>[0-9a-f]{8}) \\(the details are in the server log under this id\\)$")]
    private static partial Regex InternalErrorText();

    private static ILogger Logger(CapturingLoggerProvider logs) => logs.CreateLogger("test");

    [Fact]
    public void Describe_AgentFacingError_PassesItsMessageAndKind()
    {
        var logs = new CapturingLoggerProvider();

        var error = InternalError.Describe(ContreeException.NotFound("image not found: tag 'x'"), Logger(logs), "tool get_image");

        Assert.Equal(new AgentError(ContreeErrorKind.NotFound, "image not found: tag 'x'", null), error);
        Assert.Equal(404, error.Status);
        Assert.Contains(logs.Lines, l => l.StartsWith("Information", StringComparison.Ordinal) && l.Contains("tool get_image failed (NotFound)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Describe_InternalOrUnexpected_GivesOnlyAnIdAndLogsEverythingUnderIt(bool contree)
    {
        var logs = new CapturingLoggerProvider();
        Exception failure = contree
            ? ContreeException.Internal("layer directory '/srv/contree/layers/1' is missing")
            : new KeyNotFoundException("key not present at /srv/contree/layers/1");

        var error = InternalError.Describe(failure, Logger(logs), "operation 42");

        var match = InternalErrorText().Match(error.Message);
        Assert.True(match.Success, error.Message);
        Assert.Equal(match.Groups["id"].Value, error.ErrorId);
        Assert.Equal(ContreeErrorKind.Internal, error.Kind);
        Assert.Equal(500, error.Status);
        var line = Assert.Single(logs.Lines);
        Assert.StartsWith($"Error test: Internal error {error.ErrorId} in operation 42", line, StringComparison.Ordinal);
        Assert.Contains("/srv/contree/layers/1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void NewId_IsEightHexDigitsAndVaries()
    {
        var ids = Enumerable.Range(0, 50).Select(_ => InternalError.NewId()).ToList();

        Assert.All(ids, id => Assert.Matches("^[0-9a-f]{8}$", id));
        Assert.True(ids.Distinct(StringComparer.Ordinal).Count() > 45);
    }
}
