using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Tests;

public sealed class LanguageDetectorTests
{
    [Theory]
    [InlineData("Hur skaffar jag ett EORI-nummer?", "sv")]
    [InlineData("hur far vi betalt fran kunden", "sv")]
    [InlineData("moms på fakturan", "sv")]
    [InlineData("How do I get an EORI number?", "en")]
    [InlineData("we need help with export finance", "en")]
    [InlineData("Wie können wir nach Schweden exportieren?", "de")]
    [InlineData("Miten voimme viedä tuotteita Ruotsiin?", "fi")]
    [InlineData("Hvordan kan vi selge til Sverige? Jeg vet ikke", "no")]
    [InlineData("12345", "und")]
    [InlineData("?!", "und")]
    public void Detect_ShortMessages(string text, string expected) =>
        Assert.Equal(expected, LanguageDetector.Detect(text));
}
