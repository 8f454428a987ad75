using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Tests;

/// <summary>
/// How the pipeline copes with the way people type: the same question with and without å/ä/ö, with typos,
/// as a fragment, inside a long message; and what it decides for other kinds of message.
/// </summary>
public sealed class UnderstandingTests
{
    private static readonly Lazy<MessageUnderstanding> Pipeline = new(() =>
        MessageUnderstanding.Train(KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 11, 25), TimeSpan.FromDays(365)).KnowledgeBase));

    [Theory]
    [InlineData("Måste vi ta ut svensk moms när vi säljer varor till ett företag i Tyskland?", "Maste vi ta ut svensk moms nar vi saljer varor till ett foretag i Tyskland?")]
    [InlineData("Hur får vi ursprungsintyg stämplat till en kund i Egypten?", "hur far vi ursprungsintyg stamplat till en kund i egypten")]
    [InlineData("Vem kan hjälpa oss med exportfinansiering av en stor order?", "vem kan hjalpa oss med exportfinansiering av en stor order")]
    public void MissingDiacritics_GiveTheSameTopic(string withDiacritics, string without)
    {
        var a = Pipeline.Value.Understand(withDiacritics);
        var b = Pipeline.Value.Understand(without);

        Assert.Equal(a.Candidates[0].Topic, b.Candidates[0].Topic);
    }

    [Theory]
    [InlineData("hur skaffar man ett eori nummmer", "customs-eori")]
    [InlineData("vi behöver ett ata karnet för mässan i usa", "ata-carnet")]
    [InlineData("how do we protect our trademrak in china", "ip-protection")]
    [InlineData("kreditförsäkring för kundfordringar på en köpare i Indien", "payment-risk")]
    [InlineData("momsregistreringsnummer på fakturan till tysk kund", "vat-goods")]
    public void TyposAndCompounds_StillFindTheTopic(string text, string topic) =>
        Assert.Equal(topic, Pipeline.Value.Understand(text).Candidates[0].Topic);

    [Fact]
    public void LongMessage_WithTheQuestionInTheMiddle_FindsTheTopic()
    {
        var text = "Hej, vi är ett familjeföretag i Rättvik som gör möbler i massivt trä och har hållit på i trettio år. " +
                   "Nu har en norsk butikskedja hört av sig och vill beställa, och vi undrar hur det fungerar med tullen och exportdeklarationen när varorna ska över gränsen. " +
                   "Vi har aldrig gjort det förut och vet inte var vi ska börja. Tack på förhand!";

        var result = Pipeline.Value.Understand(text);

        Assert.Equal("customs-eori", result.Candidates[0].Topic);
        Assert.Equal("tullverket", Pipeline.Value.Topic(result.Candidates[0].Topic)!.Route[0]);
    }

    [Theory]
    [InlineData("vad kostar en pizza på torget i Falun", MessageAction.OutOfScope)]
    [InlineData("my laptop wont turn on after the update", MessageAction.OutOfScope)]
    [InlineData("tack så mycket, bra svar!", MessageAction.Smalltalk)]
    [InlineData("good morning!", MessageAction.Smalltalk)]
    [InlineData("kan någon från er ringa mig i morgon förmiddag?", MessageAction.Handoff)]
    [InlineData("I would like to speak to an advisor about our case", MessageAction.Handoff)]
    public void NonTopicMessages_GetTheirAction(string text, MessageAction action) =>
        Assert.Equal(action, Pipeline.Value.Understand(text).Action);

    [Fact]
    public void ClearQuestion_IsAnsweredWithItsRoute_AndConfidenceIsAProbability()
    {
        var result = Pipeline.Value.Understand("Vi vill söka patent och skydda vårt varumärke i flera länder, vart vänder vi oss?");

        Assert.Equal(MessageAction.Answer, result.Action);
        Assert.Equal("ip-protection", result.Topic);
        Assert.Equal(["prv", "een"], result.Route);
        Assert.InRange(result.Confidence, 0.45f, 1f);
        Assert.True(result.Candidates.Count <= 3);
        Assert.True(result.Candidates.Zip(result.Candidates.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Fact]
    public void HandoffWithATopic_KeepsTheEvidentTopic()
    {
        var result = Pipeline.Value.Understand("Jag vill prata med en rådgivare om en garanti för förskottsbetalning som vår kund kräver");

        Assert.Equal(MessageAction.Handoff, result.Action);
        Assert.Equal("bank-guarantees", result.Topic);
    }

    [Fact]
    public void MessageInAnotherLanguage_IsDetected()
    {
        var result = Pipeline.Value.Understand("Wie können wir unsere Produkte nach Norwegen exportieren?");

        Assert.Equal("de", result.Language);
    }

    [Theory]
    [InlineData("Ålands Exportfirma", "alands exportfirma")]
    [InlineData("Hej!!! 👍 Moms?", "hej moms")]
    [InlineData("Straße, Øst, Crème", "strasse ost creme")]
    public void Tokens_IgnoreCaseDiacriticsAndSymbols(string text, string tokens) =>
        Assert.Equal(tokens, string.Join(' ', TextNormalizer.Tokens(text)));

    [Theory]
    [InlineData("exporterar", "export")]
    [InlineData("kunderna", "kund")]
    [InlineData("exporting", "export")]
    [InlineData("moms", "moms")]
    public void Stem_RemovesInflection(string word, string stem) =>
        Assert.Equal(stem, TextNormalizer.Stem(word));
    [Theory]
    [InlineData("Vad gör Mellansvenska Handelskammaren egentligen?", "mellansvenska-handelskammaren")]
    [InlineData("kan EKN hjälpa oss med det?", "ekn")]
    [InlineData("does EKN have anything for young companies like us?", "ekn")]
    [InlineData("Investiert Almi in junge Firmen?", "almi")]
    [InlineData("Almi?", "almi")]
    public void QuestionsAboutAnOrganisation_GetItsCard(string text, string organisation) =>
        Assert.Equal(organisation, Pipeline.Value.Understand(text).Organisation);

    [Theory]
    [InlineData("We're shipping our first pallet of steel brackets to a customer in Switzerland. What do we need for customs?")]
    [InlineData("och tullen?")]
    [InlineData("Vilka dokument kräver Tullverket vid export till Norge?")]
    public void TopicQuestionsThatNameAnOrganisation_AreNotAboutIt(string text) =>
        Assert.Null(Pipeline.Value.Understand(text).Organisation);

    [Theory]
    [InlineData("Können Sie mich mit einem Berater verbinden? Es geht um die Zollformalitäten bei Lieferungen nach Norwegen.")]
    [InlineData("Proszę o kontakt z doradcą w sprawie eksportu do Norwegii, najlepiej telefonicznie.")]
    [InlineData("Est-ce qu'un conseiller peut m'appeler demain au sujet des licences d'exportation ?")]
    public void RequestsForAPersonInOtherLanguages_AreHandedOff(string text) =>
        Assert.Equal(MessageAction.Handoff, Pipeline.Value.Understand(text).Action);

    [Theory]
    [InlineData("Danke, das war sehr hilfreich. Schönen Tag noch!")]
    [InlineData("Kiitos paljon, tästä oli tosi paljon apua!")]
    [InlineData("Tschüss!")]
    public void ThanksInOtherLanguages_StaySmalltalk(string text) =>
        Assert.Equal(MessageAction.Smalltalk, Pipeline.Value.Understand(text).Action);
}
