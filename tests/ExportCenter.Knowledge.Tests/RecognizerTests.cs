using ExportCenter.Knowledge.Entities;

namespace ExportCenter.Knowledge.Tests;

public sealed class RecognizerTests
{
    private static readonly EntityExtractor Entities = new(new StandardEntityRecognizers());

    [Fact]
    public void TheModels_AreBuiltByTheFirstTextWithSomethingToFind_NotBefore()
    {
        var recognizers = new StandardEntityRecognizers();

        Assert.Empty(recognizers.Recognize("Hur skaffar jag ett EORI-nummer", "sv"));
        Assert.False(recognizers.IsBuilt);

        var phone = Assert.Single(recognizers.Recognize("Ring mig på 070-123 45 67", "sv"), e => e.Kind == EntityKind.Phone);
        Assert.True(recognizers.IsBuilt);
        Assert.Equal("070-123 45 67", phone.Text);
    }

    [Fact]
    public async Task Prepare_BuildsTheModelsInTheBackground()
    {
        var recognizers = new StandardEntityRecognizers();

        recognizers.Prepare();
        recognizers.Prepare();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!recognizers.IsBuilt && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(recognizers.IsBuilt);
    }

    [Theory]
    [InlineData("Vårt orgnr är 556036-0793", "556036-0793", "legal-entity")]
    [InlineData("org.nr 5560360793 tack", "556036-0793", "legal-entity")]
    [InlineData("organisationsnummer 16556036-0793", "556036-0793", "legal-entity")]
    [InlineData("enskild firma 811218-9876", "811218-9876", "personal-identity-number")]
    public void OrganisationNumber_WithAValidCheckDigit_IsFound(string text, string value, string detail)
    {
        var entity = Assert.Single(OrganisationNumberRecognizer.Recognize(text));

        Assert.Equal(value, entity.Value);
        Assert.Equal(detail, entity.Detail);
    }

    [Theory]
    [InlineData("556036-0794")]
    [InlineData("556036-079")]
    [InlineData("ring 070-123 45 67")]
    [InlineData("order 12345678901")]
    public void OrganisationNumber_WithAWrongCheckDigitOrShape_IsNotFound(string text) =>
        Assert.Empty(OrganisationNumberRecognizer.Recognize(text));

    [Theory]
    [InlineData("Vi vill sälja till Norge", "NO", "EEA")]
    [InlineData("export till tyskland", "DE", "EU")]
    [InlineData("kunder i forenade arabemiraten", "AE", "other")]
    [InlineData("our buyer is in the United States", "US", "other")]
    [InlineData("a German distributor", "DE", "EU")]
    [InlineData("norsk kund vill ha offert", "NO", "EEA")]
    [InlineData("shipping to the UK after Brexit", "GB", "other")]
    [InlineData("sälja inom EU", "EU", "region")]
    [InlineData("Österrike", "AT", "EU")]
    [InlineData("osterrike", "AT", "EU")]
    public void Country_InSwedishOrEnglish_IsFoundWithItsGroup(string text, string code, string group)
    {
        var entity = Assert.Single(CountryRecognizer.Recognize(text));

        Assert.Equal(code, entity.Value);
        Assert.Equal(group, entity.Detail);
    }

    [Fact]
    public void Us_AsAPronoun_IsNotTheUsa()
    {
        Assert.Empty(CountryRecognizer.Recognize("can you help us with this"));
        Assert.Equal("US", Assert.Single(CountryRecognizer.Recognize("selling to the US")).Value);
    }

    [Theory]
    [InlineData("Vi är ett snickeri i Borlänge", "Borlänge")]
    [InlineData("vi sitter i borlange", "Borlänge")]
    [InlineData("Rättvik", "Rättvik")]
    [InlineData("rattvik", "Rättvik")]
    [InlineData("firma i alvdalen", "Älvdalen")]
    [InlineData("Falu kommun", "Falun")]
    [InlineData("uppe i Sälen", "Malung-Sälen")]
    [InlineData("Malung-Sälen", "Malung-Sälen")]
    [InlineData("SATER", "Säter")]
    public void Municipality_WithOrWithoutDiacritics_IsFound(string text, string name) =>
        Assert.Equal(name, Assert.Single(MunicipalityRecognizer.Recognize(text)).Value);

    [Fact]
    public void Municipality_OutsideDalarna_IsNotFound() =>
        Assert.Empty(MunicipalityRecognizer.Recognize("vi finns i Uppsala och Gävle"));

    [Fact]
    public void AllFifteenMunicipalities_AreKnown() =>
        Assert.Equal(15, MunicipalityRecognizer.Municipalities.Count);

    [Theory]
    [InlineData("Mejla mig på anna.berg@snickeri.se", EntityKind.Email, "anna.berg@snickeri.se")]
    [InlineData("see https://www.example.com/products", EntityKind.Url, "https://www.example.com/products")]
    public void EmailAndUrl_AreFound(string text, EntityKind kind, string value) =>
        Assert.Contains(Entities.Extract(text, "sv"), e => e.Kind == kind && e.Value == value);

    [Theory]
    [InlineData("ring mig på 070-123 45 67", "sv")]
    [InlineData("call me on +46 70 123 45 67", "en")]
    public void Phone_IsFound(string text, string language) =>
        Assert.Contains(Entities.Extract(text, language), e => e.Kind == EntityKind.Phone);

    [Theory]
    [InlineData("an order worth 2 million dollars", "en", "USD")]
    [InlineData("a contract of 500 000 euros", "en", "EUR")]
    [InlineData("en order på 300 000 kronor", "sv", "SEK")]
    public void Amount_IsFoundWithItsCurrency(string text, string language, string currency) =>
        Assert.Contains(Entities.Extract(text, language), e => e.Kind == EntityKind.Money && e.Value.EndsWith(currency, StringComparison.Ordinal));

    [Theory]
    [InlineData("Kunden vill ha 60 dagars kredit", "sv")]
    [InlineData("we ship 40 pallets a month", "en")]
    public void ANumberWithNoCurrencyNamed_IsNoAmount(string text, string language) =>
        Assert.DoesNotContain(Entities.Extract(text, language), e => e.Kind == EntityKind.Money);

    [Theory]
    [InlineData("the fair starts on 12 March 2027", "en")]
    [InlineData("next fair is 2027-03-12", "en")]
    public void Date_IsFound(string text, string language) =>
        Assert.Contains(Entities.Extract(text, language), e => e.Kind == EntityKind.Date);

    [Fact]
    public void OrganisationNumber_IsNotAlsoReportedAsPhoneOrNumber()
    {
        var entities = Entities.Extract("orgnr 556036-0793", "sv");

        Assert.Single(entities, e => e.Kind == EntityKind.OrganisationNumber);
        Assert.DoesNotContain(entities, e => e.Kind is EntityKind.Phone or EntityKind.Number);
    }
}
