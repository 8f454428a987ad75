using ExportCenter.Dialogs.Tests.Cards;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>One conversation on the TestAdapter: say a line, get back every text the bot replied (message texts and card texts).</summary>
public sealed class ChatSession(TestAdapter adapter, BotCallbackHandler bot)
{
    public async Task<List<string>> SayAsync(string text)
    {
        var texts = new List<string>();
        foreach (var reply in await RepliesToAsync(text))
        {
            var message = reply.AsMessageActivity();
            if (message is null)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(message.Text))
            {
                texts.Add(message.Text);
            }

            foreach (var card in CardJson.Of(message))
            {
                texts.AddRange(card.SelectTokens("$..text").Select(t => t.Value<string>()!));
            }
        }

        return texts;
    }

    /// <summary>Say a line and get back every activity the bot replied with, in order (for a test that reads the cards itself).</summary>
    public async Task<List<IActivity>> RepliesToAsync(string text)
    {
        await adapter.SendTextToBotAsync(text, bot, CancellationToken.None);
        var replies = new List<IActivity>();
        for (var reply = adapter.GetNextReply(); reply is not null; reply = adapter.GetNextReply())
        {
            replies.Add(reply);
        }

        return replies;
    }
}
