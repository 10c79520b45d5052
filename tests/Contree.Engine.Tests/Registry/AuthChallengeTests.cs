using Contree.Engine.Registry;

namespace Contree.Engine.Tests.Registry;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parse_BearerChallenge_ReadsQuotedParameters()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/alpine:pull\"");

        Assert.Equal("https://auth.docker.io/token", challenge.Get("realm"));
        Assert.Equal("registry.docker.io", challenge.Get("service"));
        Assert.Equal("repository:library/alpine:pull", challenge.Get("scope"));
        Assert.Null(challenge.Get("error"));
    }

    [Fact]
    public void Parse_UnquotedAndEscapedValues_Read()
    {
        var challenge = AuthChallenge.Parse("Basic", "realm=plain, charset=\"UTF-8\", note=\"say \\\"hi\\\"\"");

        Assert.Equal("plain", challenge.Get("realm"));
        Assert.Equal("UTF-8", challenge.Get("charset"));
        Assert.Equal("say \"hi\"", challenge.Get("note"));
    }
}
