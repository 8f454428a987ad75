using ExportCenter.Dialogs.Tests.Cards;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>Follow-up questions refine an answer: the card asks, a button answers, the bot gives the refined answer.</summary>
public sealed class FollowUpTests
{
    [Fact]
    public async Task AnswerWithAFollowUp_AsksIt_AndTheChosenOptionRefinesTheAnswer()
    {
        var host = new ConversationHost();
        var topic = host.Knowledge.TopicsById["customs-eori"];
        var followUp = topic.FollowUps[0];
        var option = followUp.Options[1];

        await host.Flow("sv-SE")
            .Send("Hur skaffar vi ett EORI-nummer?")
            .AssertReply(answer =>
            {
                var body = (JArray)CardJson.First(answer)["body"]!;
                Assert.Contains(body, b => b["text"]?.Value<string>() == followUp.Question.Sv);
                // "Did this help?" is the card's last line, after the answer (not a text bubble above it).
                Assert.Equal(BotTexts.Swedish.DidThisHelp, body.Last!["text"]!.Value<string>());
                Assert.Null(((IMessageActivity)answer).Text);
            })
            .Send(new Activity
            {
                Type = ActivityTypes.Message,
                Value = new JObject { ["action"] = AnswerCard.FollowUpAction, ["topic"] = topic.Id, ["option"] = option.Id },
                ChannelData = new JObject { ["postBack"] = true, ["clientActivityID"] = "f" },
            })
            .AssertReply(refined =>
            {
                var text = ((IMessageActivity)refined).Text;
                Assert.StartsWith(option.Answer.Sv, text, StringComparison.Ordinal);
                Assert.EndsWith(BotTexts.Swedish.DidThisHelp, text, StringComparison.Ordinal);
            })
            .StartTestAsync();
    }
}
