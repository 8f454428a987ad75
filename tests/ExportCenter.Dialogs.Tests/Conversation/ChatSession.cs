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
        await adapter.SendTextToBotAsync(text, bot, CancellationToken.None);
        var texts = new List<string>();
        for (var reply = adapter.GetNextReply(); reply is not null; reply = adapter.GetNextReply())
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

            foreach (var card in message.Attachments?.Select(a => a.Content).OfType<JObject>() ?? [])
            {
                texts.AddRange(card.SelectTokens("$..text").Select(t => t.Value<string>()!));
            }
        }

        return texts;
    }
}
