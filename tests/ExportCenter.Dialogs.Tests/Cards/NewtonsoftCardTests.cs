using ExportCenter.Dialogs.Cards;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using ExportCenter.Testing;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.Cards;

/// <summary>The attachment's Newtonsoft object is built from the card's tree, not parsed from its text: it must be the same JSON.</summary>
public sealed class NewtonsoftCardTests
{
    private static readonly KnowledgeBase Knowledge =
        KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 11, 25), TimeSpan.FromDays(365)).KnowledgeBase;

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
    public void ToJObject_IsTheSameJsonAsParsingToJson(string which)
    {
        var card = Build(which);

        var built = card.ToJObject();
        var parsed = JObject.Parse(card.ToJson());

        Assert.True(JToken.DeepEquals(parsed, built), which);
        Assert.Equal(parsed.ToString(Formatting.None), built.ToString(Formatting.None));
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
