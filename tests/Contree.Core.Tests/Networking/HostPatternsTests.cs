using Contree.Core.Errors;
using Contree.Core.Networking;

namespace Contree.Core.Tests.Networking;

public sealed class HostPatternsTests
{
    [Fact]
    public void Normalize_LowerCasesDropsTrailingDotsAndDuplicates_KeepingOrder()
    {
        var patterns = HostPatterns.Normalize([" PyPI.org. ", "*.PythonHosted.org", "pypi.org", "files_1.example-cdn.net"]);

        Assert.Equal(["pypi.org", "*.pythonhosted.org", "files_1.example-cdn.net"], patterns);
    }

    [Theory]
    [InlineData("", "is not a host name")]
    [InlineData("*", "is not a host name")]
    [InlineData("*.", "is not a host name")]
    [InlineData("a..b", "is not a host name")]
    [InlineData("-a.b", "is not a host name")]
    [InlineData("a.b-", "is not a host name")]
    [InlineData("exa mple.com", "is not a host name")]
    [InlineData("https://pypi.org", "is not a host name")]
    [InlineData("pypi.org:443", "is not a host name")]
    [InlineData("foo.*.org", "is not a host name")]
    [InlineData("*example.com", "is not a host name")]
    [InlineData("1.2.3.4", "not addresses")]
    [InlineData("[::1]", "not addresses")]
    [InlineData("*.10.0.0.1", "not addresses")]
    public void Normalize_BadEntry_IsRefusedNamingIt(string entry, string message)
    {
        var error = Assert.Throws<ContreeException>(() => HostPatterns.Normalize(["ok.example", entry]));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{entry.Trim()}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_LongLabelsAndNames_AreRefused()
    {
        Assert.Throws<ContreeException>(() => HostPatterns.Normalize([new string('a', 64) + ".org"]));
        Assert.Throws<ContreeException>(() => HostPatterns.Normalize([string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + ".org"]));
        Assert.Single(HostPatterns.Normalize([new string('a', 63) + ".org"]));
    }

    [Fact]
    public void Normalize_EmptyListOrTooMany_IsRefusedSayingWhatToDoInstead()
    {
        Assert.Contains("network='none'", Assert.Throws<ContreeException>(() => HostPatterns.Normalize([])).Message, StringComparison.Ordinal);
        var many = Enumerable.Range(0, HostPatterns.MaxEntries + 1).Select(i => $"h{i}.example");
        Assert.Contains("'*.domain' patterns", Assert.Throws<ContreeException>(() => HostPatterns.Normalize(many)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pypi.org", true)]
    [InlineData("PYPI.ORG.", true)]
    [InlineData("files.pythonhosted.org", true)]
    [InlineData("a.b.pythonhosted.org", true)]
    [InlineData("pythonhosted.org", false)]
    [InlineData("evilpythonhosted.org", false)]
    [InlineData("www.pypi.org", false)]
    [InlineData("pypi.org.evil.com", false)]
    [InlineData("", false)]
    public void Matches_ExactNamesAndSubdomainsOfWildcards(string host, bool expected)
    {
        var patterns = HostPatterns.Normalize(["pypi.org", "*.pythonhosted.org"]);

        Assert.Equal(expected, HostPatterns.Matches(patterns, host));
    }

    [Fact]
    public void Restrict_WithANetwork_IsTheInternetLimitedToTheCanonicalList_WithoutOneIsRefused()
    {
        var networking = HostPatterns.Restrict(networkEnabled: true, ["PyPI.org"]);
        var error = Assert.Throws<ContreeException>(() => HostPatterns.Restrict(networkEnabled: false, ["pypi.org"]));

        Assert.True(networking.Enabled);
        Assert.Equal(["pypi.org"], networking.AllowedHosts);
        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("allowed_hosts needs a network", error.Message, StringComparison.Ordinal);
    }
}
