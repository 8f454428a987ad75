using ExportCenter.Dialogs.Tests.Cards;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.Transcripts;

/// <summary>
/// Everything a company reads in a reply: the message text, every text of its cards (TextBlocks, facts,
/// labels and placeholders of inputs, choices, button titles, shown cards) and the suggested actions; not the
/// data a button sends or a link's address.
/// </summary>
public static class ReplyTexts
{
    private static readonly string[] ReadKeys = ["text", "title", "label", "placeholder"];

    public static IEnumerable<string> Of(IActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.AsMessageActivity() is not { } message)
        {
            yield break;
        }

        if (!string.IsNullOrWhiteSpace(message.Text))
        {
            yield return message.Text;
        }

        foreach (var attachment in message.Attachments ?? [])
        {
            JToken? content = attachment.Content is null ? null : CardJson.Of(attachment);
            foreach (var text in content is null ? [] : OfCard(content))
            {
                yield return text;
            }
        }

        foreach (var action in message.SuggestedActions?.Actions ?? [])
        {
            if (!string.IsNullOrWhiteSpace(action.Title))
            {
                yield return action.Title;
            }
        }
    }

    private static IEnumerable<string> OfCard(JToken card)
    {
        var elements = card is JContainer container ? container.DescendantsAndSelf().OfType<JObject>() : [];
        foreach (var element in elements.Where(o => !InData(o)))
        {
            foreach (var key in ReadKeys)
            {
                if (element[key] is JValue { Type: JTokenType.String } value)
                {
                    yield return value.Value<string>()!;
                }
            }

            if (element.Parent?.Parent is JProperty { Name: "facts" } && element["value"] is JValue { Type: JTokenType.String } fact)
            {
                yield return fact.Value<string>()!;
            }
        }
    }

    private static bool InData(JToken token)
    {
        for (var parent = token.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is JProperty { Name: "data" or "value" })
            {
                return true;
            }
        }

        return false;
    }
}
