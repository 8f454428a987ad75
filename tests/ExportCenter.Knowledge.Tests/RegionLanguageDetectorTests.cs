using ExportCenter.Knowledge.Language;

namespace ExportCenter.Knowledge.Tests;

/// <summary>The languages the region's companies write in, told from short chat messages.</summary>
public sealed class RegionLanguageDetectorTests
{
    private static readonly RegionLanguageDetector Detector = RegionLanguageDetector.Shared;

    [Theory]
    [InlineData("Hur skaffar jag ett EORI-nummer?", "sv")]
    [InlineData("hur far vi betalt fran kunden", "sv")]
    [InlineData("moms på fakturan", "sv")]
    [InlineData("How do I get an EORI number?", "en")]
    [InlineData("we need help with export finance", "en")]
    [InlineData("Wie können wir unsere Maschinen nach Norwegen exportieren?", "de")]
    [InlineData("Miten voimme viedä tuotteita Norjaan?", "fi")]
    [InlineData("Hvordan kan vi selge varene våre til Tyskland? Jeg vet ikke hvem jeg skal spørre.", "nb")]
    [InlineData("Hvordan sælger vi vores produkter til kunder i Tyskland?", "da")]
    [InlineData("Hoe kunnen we onze producten naar Duitsland exporteren?", "nl")]
    [InlineData("Jak możemy sprzedawać nasze produkty w Niemczech?", "pl")]
    // Polish typed without its letters (ł, ą, ż, …) and with few function words: its model tells it.
    [InlineData("Czy potrzebujemy numeru EORI zeby eksportowac meble do Norwegii?", "pl")]
    [InlineData("Jak dlugo trwa odprawa celna?", "pl")]
    [InlineData("كيف يمكننا تصدير منتجاتنا إلى ألمانيا؟", "ar")]
    [InlineData("¿Cómo podemos exportar nuestros productos a Alemania?", "es")]
    [InlineData("Comment pouvons-nous exporter nos produits vers l'Allemagne ?", "fr")]
    public void Detect_TellsTheRegionsLanguages(string text, string expected) =>
        Assert.Equal(expected, Detector.Detect(text).Code);

    [Theory]
    [InlineData("12345")]
    [InlineData("?!")]
    [InlineData("👍")]
    public void Detect_WithoutLetters_IsUndetermined(string text) =>
        Assert.Equal(LanguageGuess.Undetermined, Detector.Detect(text).Code);

    [Fact]
    public void Scores_RankEveryLanguage_AndAddUpToOne()
    {
        var guess = Detector.Detect("Vi vill sälja trävaror till Norge");

        Assert.Equal("sv", guess.Scores[0].Key);
        Assert.InRange(guess.Scores.Sum(s => s.Value), 0.99, 1.01);
        Assert.True(guess.Score("sv") > guess.Score("nb"));
    }
}
