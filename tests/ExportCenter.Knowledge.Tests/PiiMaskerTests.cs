using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.Privacy;

namespace ExportCenter.Knowledge.Tests;

/// <summary>The local masker replaces email addresses, phone numbers and organisation numbers, and nothing else.</summary>
public sealed class PiiMaskerTests
{
    private static readonly LocalPiiMasker Masker = new(new EntityExtractor(new StandardEntityRecognizers()));

    [Theory]
    [InlineData("sv", "Mejla anna.berg@gjuteri.se om tullen", "Mejla [e-post] om tullen")]
    [InlineData("sv", "Ring mig på 070-123 45 67 efter lunch", "Ring mig på [telefon] efter lunch")]
    [InlineData("sv", "Vårt orgnr är 556036-0793, vi säljer till Norge", "Vårt orgnr är [organisationsnummer], vi säljer till Norge")]
    [InlineData("en", "Write to anna.berg@gjuteri.se or call +46 70 123 45 67", "Write to [email] or call [phone]")]
    public void PersonalData_IsReplacedByItsKind(string language, string text, string expected) =>
        Assert.Equal(expected, Masker.Mask(text, language));

    [Theory]
    [InlineData("sv", "Hur skaffar vi ett EORI-nummer för export till Norge 2027?")]
    [InlineData("en", "We need 60 days of credit for an order of 1,500,000 SEK")]
    public void AQuestionWithoutPersonalData_IsLeftAsItIs(string language, string text) =>
        Assert.Equal(text, Masker.Mask(text, language));
}
