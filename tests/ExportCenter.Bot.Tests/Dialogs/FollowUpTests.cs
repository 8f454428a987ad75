using System.Text.Json.Nodes;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.Dialogs;

/// <summary>Follow-up questions refine an answer: the card asks, a button answers, the bot gives the refined answer.</summary>
public sealed class FollowUpTests
{
    [Fact]
    public async Task AnswerWithAFollowUp_AsksIt_AndTheChosenOptionRefinesTheAnswer()
    {
        using var app = new BotApp();
        var knowledge = app.Services.GetRequiredService<KnowledgeBase>();
        var topic = knowledge.TopicsById["customs-eori"];
        var followUp = topic.FollowUps[0];
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");

        (await chat.PostMessageAsync("Hur skaffar vi ett EORI-nummer?")).Dispose();
        var answer = (await chat.HistoryAsync()).Last()!;
        var body = answer["attachments"]![0]!["content"]!["body"]!.AsArray();
        Assert.Contains(body, b => b!["text"]?.GetValue<string>() == followUp.Question.Sv);
        Assert.Equal(BotTexts.Swedish.DidThisHelp, answer["text"]!.GetValue<string>());

        var option = followUp.Options[1];
        (await chat.PostActivityAsync(new JsonObject
        {
            ["type"] = "message",
            ["value"] = new JsonObject { ["action"] = AnswerCard.FollowUpAction, ["topic"] = topic.Id, ["option"] = option.Id },
            ["channelData"] = new JsonObject { ["postBack"] = true, ["clientActivityID"] = "f" },
        }.ToJsonString())).Dispose();

        var refined = (await chat.HistoryAsync()).Last()!["text"]!.GetValue<string>();
        Assert.StartsWith(option.Answer.Sv, refined, StringComparison.Ordinal);
        Assert.EndsWith(BotTexts.Swedish.DidThisHelp, refined, StringComparison.Ordinal);
    }
}
