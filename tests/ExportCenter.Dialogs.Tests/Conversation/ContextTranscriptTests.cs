using ExportCenter.Dialogs.Tests.Cards;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>
/// A message without a topic of its own is read against the conversation: a facet of the current topic,
/// a new fact that picks the follow-up option, a correction; a message with a topic of its own switches.
/// </summary>
public sealed class ContextTranscriptTests
{
    private static readonly ConversationHost Host = new();

    [Fact]
    public async Task AfterTheCertificateOfOrigin_WhatDoesItCost_AnswersItsCost()
    {
        var replies = await TalkAsync("sv-SE", "Vad är ett ursprungscertifikat och när behöver vi det?", "och vad kostar det?");

        var topic = Host.Knowledge.TopicsById["certificate-of-origin"];
        Assert.Contains(topic.Title.Sv, Texts(replies[0])[0], StringComparison.Ordinal);
        var cost = Texts(replies[1]);
        Assert.Equal($"{topic.Title.Sv}: Vad det kostar", cost[0]);
        Assert.Contains(topic.Facets[Facet.Cost].Sv, cost);
    }

    [Fact]
    public async Task WhatTheCompanySaid_PicksTheFollowUpOption_AndSaysWhy()
    {
        var replies = await TalkAsync("en-GB", "We sell sawn timber to a company in Norway. What about VAT?", "and for Germany?");

        var vat = Host.Knowledge.TopicsById["vat-goods"];
        var norway = Texts(replies[0]);
        Assert.Equal(vat.Title.En, norway[0]);
        Assert.Contains("Norway is outside the EU but in the EEA, so:", norway);
        Assert.Contains(vat.FollowUps[0].Options.Single(o => o.Id == "non-eu").Answer.En, norway);
        Assert.DoesNotContain(Buttons(replies[0]), b => b == vat.FollowUps[0].Options.Single(o => o.Id == "non-eu").Label.En);

        var germany = Texts(replies[1]);
        Assert.Contains("Germany is in the EU, so:", germany);
        Assert.Contains(vat.FollowUps[0].Options.Single(o => o.Id == "eu-business").Answer.En, germany);
    }

    [Fact]
    public async Task ACorrection_FromGoodsToServices_FollowsToTheServicesTopic()
    {
        var replies = await TalkAsync("sv-SE", "Vi säljer varor till ett företag i Tyskland, hur blir det med momsen?", "jag menar tjänster, inte varor");

        Assert.Equal(Host.Knowledge.TopicsById["vat-goods"].Title.Sv, Texts(replies[0])[0]);
        Assert.Equal(Host.Knowledge.TopicsById["vat-services-ecommerce"].Title.Sv, Texts(replies[1])[0]);
    }

    [Fact]
    public async Task AQuestionWithATopicOfItsOwn_SwitchesTheTopic()
    {
        var replies = await TalkAsync("sv-SE", "Hur skaffar jag ett EORI-nummer?", "Vi vill ställa ut på en mässa i Tyskland, finns det stöd för det?");

        Assert.Equal(Host.Knowledge.TopicsById["customs-eori"].Title.Sv, Texts(replies[0])[0]);
        Assert.NotEqual(Host.Knowledge.TopicsById["customs-eori"].Title.Sv, Texts(replies[1])[0]);
    }

    [Fact]
    public async Task StartOver_ForgetsTheTopic()
    {
        var replies = await TalkAsync("sv-SE", "Hur skaffar jag ett EORI-nummer?", "börja om", "och vad kostar det?");

        Assert.DoesNotContain(Texts(replies[2]), t => t.StartsWith(Host.Knowledge.TopicsById["customs-eori"].Title.Sv + ":", StringComparison.Ordinal));
    }

    private static async Task<List<IMessageActivity>> TalkAsync(string locale, params string[] lines)
    {
        var replies = new List<IMessageActivity>();
        var flow = Host.Flow(locale);
        foreach (var line in lines)
        {
            flow = flow.Send(line).AssertReply(a => replies.Add(a.AsMessageActivity()));
        }

        await flow.StartTestAsync();
        return replies;
    }

    private static List<string> Texts(IMessageActivity reply) =>
        [.. Card(reply).SelectTokens("$.body[?(@.type == 'TextBlock')].text").Select(t => t.Value<string>()!)];

    private static List<string> Buttons(IMessageActivity reply) =>
        [.. Card(reply).SelectTokens("$..actions[*].title").Select(t => t.Value<string>()!)];

    private static JObject Card(IMessageActivity reply) => CardJson.First(reply);
}
