using ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Tests;

/// <summary>The translation-parity reading of a knowledge-base file with the time each line last changed.</summary>
public sealed class TranslationParityTests
{
    private static readonly DateTimeOffset Old = new(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset New = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ASwedishTextChangedAfterItsEnglish_IsFound_InBlocksNestedKeysAndListItems()
    {
        var lines = new (string, DateTimeOffset)[]
        {
            ("id: customs-eori", Old),
            ("title:", Old),
            ("  sv: EORI-nummer", Old),
            ("  en: EORI number", Old),
            ("answer:", Old),
            ("  sv: >-", Old),
            ("    Första raden.", Old),
            ("    Andra raden, ändrad.", New),
            ("  en: >-", Old),
            ("    First line.", Old),
            ("    Second line.", Old),
            ("facets:", Old),
            ("  cost:", Old),
            ("    sv: Gratis.", Old),
            ("    en: Free of charge.", New),
            ("follow_ups:", Old),
            ("  - id: know-code", Old),
            ("    question:", Old),
            ("      sv: Vet du varukoden?", New),
            ("      en: Do you know the code?", Old),
        };

        var parity = TranslationParity.Read(lines);

        Assert.Equal(["answer:sv", "facets.cost:en", "follow_ups.[know-code].question:sv"], parity.Select(p => p.Field + ":" + (p.SwedishIsNewer ? "sv" : "en")));
        Assert.Equal((New, Old), (parity[0].SwedishChanged, parity[0].EnglishChanged));
    }

    [Fact]
    public void ACommentAfterABlock_IsNotAChangeOfIt() =>
        Assert.Empty(TranslationParity.Read([("title:", Old), ("  sv: >-", Old), ("    Text", Old), ("  en: >-", Old), ("    Text", Old), ("# a later note", New)]));

    [Fact]
    public void TextsChangedTogether_AreNotListed() =>
        Assert.Empty(TranslationParity.Read([("title:", Old), ("  sv: A", New), ("  en: B", New)]));
}
