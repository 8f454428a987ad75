using ExportCenter.Bot.Advisors;
using ExportCenter.Testing;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// Company text as markdown that shows as written (<see cref="MarkdownText"/>), checked with Web Chat's own
/// markdown renderer: no link, image, heading, list, quote, code, table or HTML comes out of it.
/// </summary>
public sealed class MarkdownTextTests
{
    [Theory]
    [InlineData("[invoice.pdf](https://evil.example/x)", "[invoice[.]pdf](https[://]evil[.]example/x)")]
    [InlineData("![bild](https://evil.example/p.png)", "![bild](https[://]evil[.]example/p[.]png)")]
    [InlineData("<a href=\"https://evil.example\">klicka</a>", "<a href=“https[://]evil[.]example”>klicka</a>")] // quotes mean nothing in markdown; Web Chat only curls them
    [InlineData("**fet** _kursiv_ ~~struken~~ `kod`", "**fet** _kursiv_ ~~struken~~ `kod`")]
    [InlineData("# Rubrik\n- punkt\n+ punkt\n* punkt\n1. ett\n2) två\n> citat", "# Rubrik\n- punkt\n+ punkt\n* punkt\n1. ett\n2) två\n> citat")]
    [InlineData("Rubrik\n===\nRubrik\n---", "Rubrik\n===\nRubrik\n---")]
    [InlineData("    kod\n\tkod", "kod\nkod")]
    [InlineData("| a | b |\n|---|---|", "| a | b |\n|---|---|")]
    [InlineData("[ref]: https://evil.example\n[ref]", "[ref]: https[://]evil[.]example\n[ref]")]
    [InlineData("snedstreck \\ på slutet\\", "snedstreck \\ på slutet\\")]
    [InlineData("{{DATE(2026-11-27T13:00:00Z, SHORT)}}", "{{DATE(2026-11-27T13:00:00Z, SHORT)}}")]
    [InlineData("(c) -- ... +-", "(c) -- ... +-")]
    public async Task MarkdownAndHtml_ShowAsWritten(string written, string shown)
    {
        var html = (await WebChatMarkdown.RenderAsync([MarkdownText.Escape(written)]))[0];

        Assert.All(WebChatMarkdown.Elements(html), e => Assert.True(e is "p" or "br", $"<{e}> in {html}"));
        Assert.Equal(shown, WebChatMarkdown.VisibleText(html));
    }

    [Theory]
    [InlineData("https://evil.example/pay", "https[://]evil[.]example/pay")]
    [InlineData("http://localhost:8080/x", "http[://]localhost:8080/x")]
    [InlineData("//evil.example/x", "[//]evil[.]example/x")]
    [InlineData("www.evil.example", "www[.]evil[.]example")]
    [InlineData("se evil.com eller t.co/x", "se evil[.]com eller t[.]co/x")]
    [InlineData("Dalaträ.se", "Dalaträ[.]se")]
    [InlineData("anna.berg@gjuteri.se", "anna.berg@gjuteri.se")]
    [InlineData("t.ex. bl.a. 2.5 kl. 15.30 AB. Vi", "t.ex. bl.a. 2.5 kl. 15.30 AB. Vi")]
    public async Task WebAddresses_AreBroken_EmailAddressesAndAbbreviationsAreNot(string written, string shown)
    {
        var html = (await WebChatMarkdown.RenderAsync([MarkdownText.Escape(written)]))[0];

        Assert.Equal(["p"], WebChatMarkdown.Elements(html));
        Assert.Equal(shown, WebChatMarkdown.VisibleText(html));
    }

    [Theory]
    [InlineData("abcdefgh", 5, "abcd…")]
    [InlineData("abc*efgh", 5, "abc…")] // "abc\*" would end in half an escape: the escape goes whole
    [InlineData("ab*defgh", 5, "ab\\*…")]
    [InlineData("abc", 5, "abc")]
    public void Escape_WithALimit_CutsBeforeAnEscapeNeverInsideIt(string written, int max, string markdown) =>
        Assert.Equal(markdown, MarkdownText.Escape(written, max));
}
