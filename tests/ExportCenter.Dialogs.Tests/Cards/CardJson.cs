using ExportCenter.Dialogs.Cards;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.Cards;

/// <summary>
/// The cards of a reply as JSON objects: in a test adapter's turn a card is still the bot's <see cref="CardContent"/>
/// (read from JSON it is a JObject). Anything else in an attachment fails the test rather than being skipped.
/// </summary>
public static class CardJson
{
    public static JObject Of(Attachment attachment)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return attachment.Content switch
        {
            CardContent card => card.ToJObject(),
            JObject json => json,
            var other => throw new InvalidOperationException($"An attachment whose content is {other?.GetType().Name ?? "null"}, not a card."),
        };
    }

    public static IEnumerable<JObject> Of(IMessageActivity message) =>
        message?.Attachments?.Select(Of) ?? [];

    public static JObject First(IActivity reply) => Of(reply.AsMessageActivity().Attachments[0]);
}
