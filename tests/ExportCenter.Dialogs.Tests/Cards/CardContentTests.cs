using ExportCenter.Dialogs.Cards;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using ExportCenter.Testing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using System.Text.Json.Nodes;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Dialogs.Tests.Cards;

/// <summary>
/// A card goes to the channel as the builder's JSON, written whole into the activity by Newtonsoft (through the SDK's
/// converter for attachment content), not rebuilt as a Newtonsoft tree.
/// </summary>
public sealed class CardContentTests
{
    private static readonly KnowledgeBase Knowledge =
        KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 11, 25), TimeSpan.FromDays(365)).KnowledgeBase;

    private static readonly JsonSerializerSettings ConnectorSettings = new() { NullValueHandling = NullValueHandling.Ignore };

    public static TheoryData<string> Cards()
    {
        var data = new TheoryData<string>();
        foreach (var language in new[] { ConversationLanguage.Swedish, ConversationLanguage.English })
        {
            data.Add($"welcome/{language}");
            foreach (var topic in Knowledge.Topics)
            {
                data.Add($"answer/{topic.Id}/{language}");
            }

            foreach (var organisation in Knowledge.Organisations)
            {
                data.Add($"organisation/{organisation.Id}/{language}");
            }
        }

        data.Add("built");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void InAnActivity_TheContentIsTheCardsJson(string which)
    {
        var card = Build(which);
        var content = card.ToContent();

        var json = JsonConvert.SerializeObject(MessageFactory.Attachment(new Attachment { ContentType = AdaptiveCard.ContentType, Content = content }), ConnectorSettings);

        Assert.Contains(content.ToJson(), json, StringComparison.Ordinal);
        var written = JObject.Parse(json)["attachments"]![0]!["content"]!;
        Assert.True(JToken.DeepEquals(JObject.Parse(card.ToJson()), written), which);
        Assert.True(JsonNode.DeepEquals(card.ToJsonObject(), JsonNode.Parse(written.ToString(Formatting.None))), which);
    }

    [Fact]
    public void ALineAddedBeforeTheReplyIsSent_IsInWhatIsSent()
    {
        var content = new AdaptiveCard().AddText("Svar").ToContent();

        content.Card().AddText("Fick du hjälp?", TextStyle.Question);
        var json = JsonConvert.SerializeObject(new Attachment { ContentType = AdaptiveCard.ContentType, Content = content }, ConnectorSettings);

        var body = (JArray)JObject.Parse(json)["content"]!["body"]!;
        Assert.Equal(["Svar", "Fick du hjälp?"], body.Select(b => b.Value<string>("text")));
        Assert.Equal("Bolder", body[1].Value<string>("weight"));
    }

    [Fact]
    public void LettersOfEveryScriptAreWrittenAsThemselves_WhatCouldEndAScriptIsEscaped()
    {
        var json = new AdaptiveCard().AddText("Åre, مرحبا, </script>").ToContent().ToJson();

        Assert.Contains("Åre, مرحبا", json, StringComparison.Ordinal);
        Assert.DoesNotContain("</script>", json, StringComparison.Ordinal);
    }

    private static AdaptiveCard Build(string which)
    {
        var parts = which.Split('/');
        var language = parts[^1] == nameof(ConversationLanguage.Swedish) ? ConversationLanguage.Swedish : ConversationLanguage.English;
        return parts[0] switch
        {
            "welcome" => WelcomeCard.Build(language, "Hej", new Uri("https://example.se/integritet")),
            "answer" => AnswerCard.Build(Knowledge.TopicsById[parts[1]], Knowledge, language, "intro", [.. Knowledge.Topics.Take(2)]),
            "organisation" => OrganisationCard.Build(Knowledge.Organisations.Single(o => o.Id == parts[1]), language),
            // Every kind of value and nesting the builder makes: right to left, a shown card inside, facts with a missing value, submit data.
            _ => new AdaptiveCard { Lang = "ar", Rtl = true, Speak = "مرحبا \"quoted\" \\ \n" }
                .AddText("Rubrik", TextStyle.Heading)
                .AddFacts([("Telefon", "010-123 45 67"), ("E-post", null)])
                .AddSubmit("Ja", new Dictionary<string, string> { ["choice"] = "yes", ["emoji"] = "👍" })
                .AddShowCard("Mer", new AdaptiveCard().AddText("Inuti"))
                .AddOpenUrl("Läs", new Uri("https://example.se/a?b=c&d=e")),
        };
    }
}
