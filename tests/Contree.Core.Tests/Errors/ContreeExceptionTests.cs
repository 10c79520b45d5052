using Contree.Core.Errors;

namespace Contree.Core.Tests.Errors;

public sealed class ContreeExceptionTests
{
    [Theory]
    [InlineData(400, ContreeErrorKind.InvalidArgument)]
    [InlineData(401, ContreeErrorKind.Unauthorized)]
    [InlineData(403, ContreeErrorKind.Unauthorized)]
    [InlineData(404, ContreeErrorKind.NotFound)]
    [InlineData(409, ContreeErrorKind.Conflict)]
    [InlineData(429, ContreeErrorKind.Unavailable)]
    [InlineData(500, ContreeErrorKind.Unavailable)]
    [InlineData(503, ContreeErrorKind.Unavailable)]
    [InlineData(501, ContreeErrorKind.Internal)]
    public void KindFromStatus_MapsHttpStatus(int status, ContreeErrorKind kind)
    {
        Assert.Equal(kind, ContreeException.KindFromStatus(status));
    }

    [Fact]
    public void StatusFromKind_RoundTripsTheMainKinds()
    {
        foreach (var kind in new[] { ContreeErrorKind.NotFound, ContreeErrorKind.InvalidArgument, ContreeErrorKind.Unauthorized, ContreeErrorKind.Conflict, ContreeErrorKind.Unavailable })
        {
            Assert.Equal(kind, ContreeException.KindFromStatus(ContreeException.StatusFromKind(kind)));
        }
    }

    [Fact]
    public void Message_IsTheGivenText()
    {
        var error = new ContreeException(ContreeErrorKind.NotFound, "image x not found", 404);

        Assert.Equal("image x not found", error.Message);
        Assert.Equal(404, error.StatusCode);
    }
}
