using Contree.Core.Errors;
using Contree.Mcp.Sync;

namespace Contree.Mcp.Tests.Sync;

public sealed class ExcludeMatcherTests
{
    [Theory]
    [InlineData("__pycache__", "__pycache__", true, true)]
    [InlineData("__pycache__", "pkg/sub/__pycache__", true, true)]
    [InlineData("*.pyc", "a.pyc", false, true)]
    [InlineData("*.pyc", "pkg/deep/x.pyc", false, true)]
    [InlineData("*.pyc", "x.pyc.bak", false, false)]
    [InlineData(".git", ".git", true, true)]
    [InlineData(".git", ".github", true, false)]
    [InlineData(".git", ".gitignore", false, false)]
    [InlineData("file?.txt", "file1.txt", false, true)]
    [InlineData("file?.txt", "file10.txt", false, false)]
    [InlineData("build/out", "build/out", true, true)]
    [InlineData("build/out", "src/build/out", true, false)]
    [InlineData("/dist", "dist", true, true)]
    [InlineData("/dist", "web/dist", true, false)]
    [InlineData("docs/*.md", "docs/a.md", false, true)]
    [InlineData("docs/*.md", "docs/sub/a.md", false, false)]
    [InlineData("docs/**/*.md", "docs/sub/deeper/a.md", false, true)]
    [InlineData("docs/**/*.md", "docs/a.md", false, true)]
    [InlineData("**/tmp", "a/b/tmp", true, true)]
    [InlineData("logs/", "logs", true, true)]
    [InlineData("logs/", "logs", false, false)]
    [InlineData("[ab].txt", "a.txt", false, true)]
    [InlineData("[ab].txt", "c.txt", false, false)]
    [InlineData("[!ab].txt", "c.txt", false, true)]
    [InlineData("Makefile", "makefile", false, false)]
    [InlineData("a+b.txt", "a+b.txt", false, true)]
    [InlineData("a+b.txt", "aab.txt", false, false)]
    public void IsExcluded_Pattern_MatchesGitignoreSemantics(string pattern, string path, bool isDirectory, bool expected)
    {
        var matcher = ExcludeMatcher.Create([pattern]);

        Assert.Equal(expected, matcher.IsExcluded(path, isDirectory));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!keep.txt")]
    [InlineData("/")]
    [InlineData("[abc")]
    public void Create_MalformedPattern_ThrowsNamingIt(string pattern)
    {
        var ex = Assert.Throws<ContreeException>(() => ExcludeMatcher.Create([pattern]));

        Assert.Equal(ContreeErrorKind.InvalidArgument, ex.Kind);
    }

    [Fact]
    public void IsExcluded_NoPatterns_KeepsEverything()
    {
        Assert.False(ExcludeMatcher.Empty.IsExcluded("a/b/c", isDirectory: false));
    }
}
