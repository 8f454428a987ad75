using System.Text;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using ExportCenter.Testing;

namespace ExportCenter.Dialogs.Tests.Cards;

public sealed class AnswerCardTests
{
    private static readonly KnowledgeBase Knowledge =
        KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 11, 25), TimeSpan.FromDays(365)).KnowledgeBase;

    [Fact]
    public async Task EveryTopicsAnswerCard_IsValidAdaptiveCard15_UnderTeamsSizeLimit_InBothLanguages()
    {
        foreach (var topic in Knowledge.Topics)
        {
            foreach (var language in new[] { ConversationLanguage.Swedish, ConversationLanguage.English })
            {
                var alternatives = Knowledge.Topics.Where(t => t.Id != topic.Id).Take(2).ToList();
                foreach (var json in new[] { AnswerCard.Build(topic, Knowledge, language).ToJson(), AnswerCard.Build(topic, Knowledge, language, "intro", alternatives).ToJson() })
                {
                    Assert.True(Encoding.UTF8.GetByteCount(json) < 28 * 1024, $"{topic.Id} ({language}) is too large");
                    var problems = await AdaptiveCardValidator.ProblemsAsync(json);
                    Assert.True(problems.Count == 0, $"{topic.Id} ({language}): {problems.ToJsonString()}");
                }
            }
        }
    }

    [Fact]
    public void AnswerCard_ShowsTheAnswerAndEveryOrganisationOfTheRoute_PrimaryFirst()
    {
        var topic = Knowledge.TopicsById["payment-risk"];

        var json = AnswerCard.Build(topic, Knowledge, ConversationLanguage.English).ToJsonObject();

        var texts = json["body"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "TextBlock").Select(b => b!["text"]!.GetValue<string>()).ToList();
        Assert.Contains(topic.Answer.En, texts);
        var positions = topic.Route.Select(id => texts.FindIndex(t => t.Contains(Knowledge.OrganisationsById[id].Name.En, StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
        Assert.Contains(json["actions"]!.AsArray(), a => a!["type"]!.GetValue<string>() == "Action.OpenUrl");
    }
}
