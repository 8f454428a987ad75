using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// Shapes activities as the channel delivers them. The channel, never the client, sets who sent an
/// activity, to whom, in which conversation, on which channel and where the bot answers
/// (<c>from</c>, <c>recipient</c>, <c>conversation</c>, <c>channelId</c>, <c>serviceUrl</c>), plus
/// <c>id</c> and <c>timestamp</c>. From clients only a known set of fields is taken.
/// </summary>
public sealed class DirectLineActivities(IOptions<DirectLineOptions> options)
{
    /// <summary>The channel id the bot sees for the embedded channel.</summary>
    public const string ChannelId = "directline";

    /// <summary>
    /// The service URL the bot replies to. The host is reserved (RFC 2606 ".invalid"): no request to it
    /// ever leaves the process, because the embedded channel's adapter hands them to
    /// <see cref="EmbeddedConnectorHandler"/> in memory.
    /// </summary>
    public const string ServiceUrl = "https://embedded-directline.invalid/";

    private static readonly HashSet<string> ClientTypes = new(StringComparer.Ordinal) { "message", "event", "typing" };

    // Fields a client may set. Everything else (deliveryMode, callerId, relatesTo, ...) is dropped.
    private static readonly HashSet<string> ClientFields = new(StringComparer.Ordinal)
    {
        "type", "text", "textFormat", "locale", "localTimestamp", "localTimezone", "speak", "name", "replyToId",
        "attachmentLayout", "attachments", "entities", "channelData", "value",
    };

    /// <summary>
    /// Reads a client's activity: the allowed fields, each with the JSON type the Bot Framework schema gives it
    /// (<see cref="ActivitySchema"/>). Returns why not, for a 400 answer, when the activity is not acceptable.
    /// </summary>
    public static JsonObject? ReadClientActivity(JsonNode? posted, out ActivityRejection? rejection)
    {
        if (posted is not JsonObject source)
        {
            rejection = ActivityRejection.NotAnActivity;
            return null;
        }

        var activity = new JsonObject();
        foreach (var (name, value) in source)
        {
            if (ClientFields.Contains(name) && value is not null)
            {
                activity[name] = value.DeepClone();
            }
        }

        rejection = ActivitySchema.Check(activity);
        if (rejection is null && !ClientTypes.Contains(activity["type"]!.GetValue<string>()))
        {
            rejection = ActivityRejection.UnsupportedType;
        }

        return rejection is null ? activity : null;
    }

    /// <summary>
    /// Sets the channel-owned fields of an activity the visitor sent. On the advisors' page the token names
    /// the signed-in advisor (<paramref name="actor"/>), and that, not anything the client sent, becomes <c>from.id</c>.
    /// </summary>
    public void CompleteFromUser(JsonObject activity, DirectLineConversation conversation, string id, DateTimeOffset timestamp, string? actor = null) =>
        Complete(activity, conversation, id, timestamp, from: actor is null ? UserAccount(conversation) : new JsonObject { ["id"] = actor, ["role"] = "user" }, recipient: BotAccount());

    /// <summary>Sets the channel-owned fields of an activity the bot sent.</summary>
    public void CompleteFromBot(JsonObject activity, DirectLineConversation conversation, string id, DateTimeOffset timestamp) =>
        Complete(activity, conversation, id, timestamp, from: BotAccount(), recipient: UserAccount(conversation));

    /// <summary>The conversationUpdate that tells the bot the visitor (and the bot) joined.</summary>
    public JsonObject ConversationStarted(DirectLineConversation conversation, string? locale, DateTimeOffset now)
    {
        var activity = new JsonObject
        {
            ["type"] = "conversationUpdate",
            ["membersAdded"] = new JsonArray(BotAccount(), UserAccount(conversation)),
        };
        if (!string.IsNullOrWhiteSpace(locale))
        {
            activity["locale"] = locale;
        }

        CompleteFromUser(activity, conversation, conversation.Id + "|start", now);
        return activity;
    }

    /// <summary>An ActivitySet <c>{activities, watermark}</c> from stored activity JSON.</summary>
    public static string ActivitySet(IEnumerable<string> activitiesJson, long watermark)
    {
        var builder = new StringBuilder("{\"activities\":[");
        builder.AppendJoin(',', activitiesJson);
        builder.Append("],\"watermark\":\"").Append(watermark.ToString(CultureInfo.InvariantCulture)).Append("\"}");
        return builder.ToString();
    }

    private static void Complete(JsonObject activity, DirectLineConversation conversation, string id, DateTimeOffset timestamp, JsonObject from, JsonObject recipient)
    {
        activity["id"] = id;
        activity["timestamp"] = Timestamp(timestamp);
        activity["channelId"] = ChannelId;
        activity["serviceUrl"] = ServiceUrl;
        activity["conversation"] = new JsonObject { ["id"] = conversation.Id };
        activity["from"] = from;
        activity["recipient"] = recipient;
    }

    private JsonObject BotAccount() => new() { ["id"] = options.Value.BotId, ["name"] = options.Value.BotName, ["role"] = "bot" };

    private static JsonObject UserAccount(DirectLineConversation conversation) => new() { ["id"] = conversation.UserId, ["role"] = "user" };

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
