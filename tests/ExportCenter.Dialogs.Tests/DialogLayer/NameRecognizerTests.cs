using ExportCenter.Dialogs.DialogLayer;

namespace ExportCenter.Dialogs.Tests.DialogLayer;

/// <summary>What the name prompts take: names, not links or addresses.</summary>
public sealed class NameRecognizerTests
{
    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("ftp://files")]
    [InlineData("WWW.EVIL.SE")]
    [InlineData("kontakt@foretaget.se")]
    [InlineData("Anna @ Evil")]
    [InlineData("evil.example")]
    [InlineData("Läs mer på shop.foo.se!")]
    [InlineData("Dr.Oetker")]
    public void LinkLookingText_IsNotAName(string text)
    {
        Assert.True(Answers.LooksLikeLinkOrAddress(text));
        Assert.False(Answers.Name(200)(text, out _));
    }

    [Theory]
    [InlineData("Ludvika Gjuteri AB")]
    [InlineData("E.ON Sverige AB")]
    [InlineData("Anna-Karin J. Berg")]
    [InlineData("H&M Hennes & Mauritz AB")]
    [InlineData("St. Eriks AB")]
    [InlineData("Åhléns AB")]
    [InlineData("Företaget AB.")]
    public void AnOrdinaryName_IsAName(string text)
    {
        Assert.False(Answers.LooksLikeLinkOrAddress(text));
        Assert.True(Answers.Name(200)(text, out var value));
        Assert.Equal(text, value);
    }
}
