using ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Tests;

/// <summary>The readability measures behind the plain-language limits, on texts small enough to count by hand.</summary>
public sealed class ReadabilityTests
{
    [Theory]
    [InlineData("export", 2)]
    [InlineData("agreement", 3)]
    [InlineData("insurance", 3)]
    [InlineData("make", 1)]
    [InlineData("guarantee", 3)]
    [InlineData("table", 2)]
    [InlineData("the", 1)]
    [InlineData("EORI", 2)]
    [InlineData("Skatteverket", 4)]
    [InlineData("rhythm", 1)]
    public void Syllables_AreVowelGroups_WithoutASilentFinalE(string word, int syllables) =>
        Assert.Equal(syllables, Readability.Syllables(word));

    [Fact]
    public void Lix_IsWordsPerSentencePlusTheShareOfLongWords()
    {
        // 7 words, 2 sentences; long words (more than six letters): "exportera", "Tullverket" = 2 of 7.
        var score = Readability.Score("Vill du exportera? Fråga Tullverket om det.");

        Assert.Equal((7, 2), (score.Words, score.Sentences));
        Assert.Equal(Math.Round(3.5 + 200.0 / 7, 1), score.Lix);
    }

    [Fact]
    public void Flesch_FollowsTheFormula()
    {
        // 6 words, 1 sentence, 8 syllables (ask 1, the 1, chamber 2, for 1, a 1, carnet 2): 206.835 - 1.015*6 - 84.6*8/6.
        var score = Readability.Score("Ask the chamber for a carnet.");

        Assert.Equal(Math.Round(206.835 - 1.015 * 6 - 84.6 * 8 / 6, 1), score.Flesch);
    }

    [Fact]
    public void NamesAndLinksCountAsWords()
    {
        Assert.Equal(4, Readability.Score("Läs på https://www.tullverket.se/foretag idag").Words);
    }

    [Fact]
    public void TheLimits_AreSeventyWordsLix40AndFlesch50()
    {
        var longText = string.Join(' ', Enumerable.Repeat("ord", 71)) + ".";

        Assert.Equal("71 words (at most 70)", Readability.Problem(longText, swedish: true));
        Assert.Null(Readability.Problem("Fråga oss. Vi hjälper dig.", swedish: true));
        Assert.StartsWith("LIX", Readability.Problem("Internationaliseringsstrategiutveckling kräver exportfrämjandeorganisationer.", swedish: true), StringComparison.Ordinal);
        Assert.StartsWith("Flesch", Readability.Problem("Internationalisation necessitates comprehensive organisational considerations.", swedish: false), StringComparison.Ordinal);
        Assert.Null(Readability.Problem("Ask us. We can help you.", swedish: false));
    }
}

/// <summary>Every text the knowledge base shows first is within the plain-language limits.</summary>
public sealed class KnowledgeBaseReadabilityTests
{
    [Fact]
    public void EveryFirstShownText_IsAtMost70Words_Lix40_Flesch50()
    {
        var kb = KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 12, 1), TimeSpan.FromDays(365)).KnowledgeBase;

        var lines = ReadabilityReport.For(kb);

        Assert.True(lines.Count >= kb.Topics.Count * 2, "every topic has a Swedish and an English answer");
        Assert.Empty(lines.Where(l => l.Problem is not null).Select(l => $"{l.TopicId} {l.Field}: {l.Problem}"));
    }

    [Fact]
    public void EveryTopic_HasAContactFacet_AndShortButtonLabels()
    {
        var kb = KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 12, 1), TimeSpan.FromDays(365)).KnowledgeBase;

        Assert.Empty(kb.Topics.Where(t => !t.Facets.ContainsKey(Facet.Contact)).Select(t => t.Id));
        Assert.DoesNotContain(kb.Topics.SelectMany(t => t.FollowUps).SelectMany(f => f.Options)
            .SelectMany(o => new[] { o.Label.Sv, o.Label.En }), label => label.Length > 28);
    }
}
