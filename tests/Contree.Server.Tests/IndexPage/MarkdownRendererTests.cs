using Contree.Server.IndexPage;

namespace Contree.Server.Tests.IndexPage;

/// <summary>The renderer cases the original Python server tested, kept so both render the same.</summary>
public sealed class MarkdownRendererTests
{
    private static string Html(string markdown) => MarkdownRenderer.ToHtml(markdown);

    [Theory]
    [InlineData("# Title", "<h1>Title</h1>")]
    [InlineData("### Title", "<h3>Title</h3>")]
    [InlineData("###### Title", "<h6>Title</h6>")]
    [InlineData("#NoSpace", "<h1>NoSpace</h1>")]
    [InlineData("#    Multiple spaces", "<h1>Multiple spaces</h1>")]
    [InlineData("## Use `run_command`", "<h2>Use <code>run_command</code></h2>")]
    [InlineData("## **Important**", "<h2><strong>Important</strong></h2>")]
    [InlineData("Hello world", "<p>Hello world</p>")]
    [InlineData("Use `code` here", "<p>Use <code>code</code> here</p>")]
    [InlineData("a <tag> & b", "<p>a &lt;tag&gt; &amp; b</p>")]
    [InlineData("`<tag>`", "<p><code>&lt;tag&gt;</code></p>")]
    [InlineData("**<important>**", "<p><strong>&lt;important&gt;</strong></p>")]
    [InlineData("- item", "<ul>\n<li>item</li>\n</ul>")]
    [InlineData("  - Indented item", "<ul>\n<li>Indented item</li>\n</ul>")]
    [InlineData("* **bold item**", "<ul>\n<li><strong>bold item</strong></li>\n</ul>")]
    [InlineData("- `code`", "<ul>\n<li><code>code</code></li>\n</ul>")]
    [InlineData("999. high", "<ol>\n<li>high</li>\n</ol>")]
    [InlineData("0. Zero item", "<ol>\n<li>Zero item</li>\n</ol>")]
    [InlineData("1234 Not a list", "<p>1234 Not a list</p>")]
    [InlineData("I have 3. items here", "<p>I have 3. items here</p>")]
    [InlineData("-1. negative", "<p>-1. negative</p>")]
    [InlineData("- | not a table", "<ul>\n<li>| not a table</li>\n</ul>")]
    [InlineData("```\nprint('hello')\n```", "<pre><code>print(&#x27;hello&#x27;)</code></pre>")]
    [InlineData("```\n```", "<pre><code></code></pre>")]
    [InlineData("```python\n  indented\n```", "<pre><code>  indented</code></pre>")]
    [InlineData("```\nunclosed", "<pre><code>unclosed</code></pre>")]
    [InlineData("```\n# not a header\n- not a list\n```", "<pre><code># not a header\n- not a list</code></pre>")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData("\n\n\n", "")]
    public void ToHtml_SingleConstruct_RendersExactly(string markdown, string expected)
    {
        Assert.Equal(expected, Html(markdown));
    }

    [Fact]
    public void ToHtml_SevenHashes_CapsAtH6()
    {
        Assert.StartsWith("<h6>", Html("####### Deep"), StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_ListTypeSwitch_ClosesAndOpensLists()
    {
        Assert.Equal("<ul>\n<li>a</li>\n</ul>\n<ol>\n<li>b</li>\n</ol>\n<ul>\n<li>c</li>\n</ul>", Html("- a\n1. b\n- c"));
    }

    [Fact]
    public void ToHtml_BlankLineInsideList_KeepsListOpen()
    {
        Assert.Equal("<ul>\n<li>a</li>\n<li>b</li>\n</ul>", Html("- a\n\n- b"));
    }

    [Fact]
    public void ToHtml_ListThenParagraphAndHeader_ClosesListFirst()
    {
        Assert.Equal("<ul>\n<li>a</li>\n</ul>\n<p>text</p>\n<h2>H</h2>", Html("- a\ntext\n## H"));
    }

    [Fact]
    public void ToHtml_Table_RendersHeaderAndBodyWithoutWhitespace()
    {
        Assert.Equal(
            "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td><code>run</code></td><td>D</td></tr></tbody></table>",
            Html("| A | B |\n|---|---|\n| `run` | D |"));
    }

    [Fact]
    public void ToHtml_TableThenParagraph_FlushesTableBeforeParagraph()
    {
        Assert.Equal("<table><thead><tr><th>Only</th></tr></thead><tbody></tbody></table>\n<p>after</p>", Html("| Only |\n|---|\nafter"));
    }

    [Fact]
    public void ToHtml_TableAfterListWithoutBlank_ClosesList()
    {
        Assert.Equal("<ul>\n<li>a</li>\n</ul>\n<table><thead><tr><th>X</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>", Html("- a\n| X |\n|-|\n| 1 |"));
    }

    [Fact]
    public void ToHtml_SingleRowTable_RendersNothing()
    {
        Assert.Equal("", Html("| header only |"));
    }

    [Fact]
    public void ToHtml_TableCellWithScript_IsEscaped()
    {
        var html = Html("| A |\n|---|\n| <script>x</script> |");

        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[link](http://x)", "<a ")]
    [InlineData("![img](x.png)", "<img")]
    [InlineData("> quote", "<blockquote>")]
    [InlineData("---", "<hr")]
    public void ToHtml_UnsupportedSyntax_StaysText(string markdown, string forbidden)
    {
        Assert.DoesNotContain(forbidden, Html(markdown), StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_CrlfAndUnicode_ArePreserved()
    {
        Assert.Equal("<h1>Header</h1>\n<p>Привет 世界 🚀</p>", Html("# Header\r\nПривет 世界 🚀\r\n"));
    }

    [Theory]
    [InlineData("**unclosed bold")]
    [InlineData("`unclosed code")]
    [InlineData("****")]
    [InlineData("###")]
    [InlineData("|||")]
    [InlineData("a\0b\u0001c")]
    public void ToHtml_DegenerateInput_KeepsTextWithoutCrashing(string markdown)
    {
        var html = Html(markdown);

        Assert.NotNull(html);
        Assert.DoesNotContain("<strong></strong>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_MultipleSpansOnOneLine_RendersEach()
    {
        Assert.Equal("<code>a</code> <code>b</code> <strong>c</strong> <strong>d</strong>", MarkdownRenderer.Inline("`a` `b` **c** **d**"));
    }
}
