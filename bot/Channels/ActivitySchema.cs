using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ExportCenter.Bot.Channels;

/// <summary>
/// The JSON types of the Bot Framework activity schema (Microsoft.Bot.Schema 4.23's <see cref="Activity"/> and
/// the types it holds) as its Newtonsoft reader needs them, checked at a channel's edge. An activity that passes
/// reads as a Bot Framework activity, so it cannot fail later, after it was stored or inside the turn, with an
/// exception that quotes the client's text. <c>value</c> and <c>channelData</c> must be objects, as every
/// client and channel of this bot sends them.
/// </summary>
public static partial class ActivitySchema
{
    /// <summary>How the channels read activities for the bot: nulls dropped, at most 64 levels deep.</summary>
    public static readonly JsonSerializerSettings BotSerializer = new() { NullValueHandling = NullValueHandling.Ignore, MaxDepth = 64 };

    private static readonly FieldCheck Text = (node, field) => node.GetValueKind() == JsonValueKind.String ? null : ActivityRejection.WrongType(field);

    // Ids and the service URL go into the connector's request paths and the state's keys: real ones are far
    // shorter (a Teams thread id is about 100 characters), and a long one would make the reply's URL too long.
    private static readonly FieldCheck Id = Bounded(MaxIdLength);

    private static readonly FieldCheck Url = Bounded(2048);

    private static readonly FieldCheck Flag = (node, field) => node.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? null : ActivityRejection.WrongType(field);

    private static readonly FieldCheck Integer = (node, field) => node is JsonValue value && value.TryGetValue<int>(out _) ? null : ActivityRejection.WrongType(field);

    private static readonly FieldCheck AnyObject = (node, field) => node is JsonObject ? null : ActivityRejection.WrongType(field);

    private static readonly FieldCheck Anything = (_, _) => null;

    private static readonly FieldCheck Timestamp = (node, field) =>
        node.GetValueKind() != JsonValueKind.String ? ActivityRejection.WrongType(field)
        : IsTimestamp(node.GetValue<string>()) ? null
        : ActivityRejection.BadTimestamp(field);

    private static readonly FieldCheck Account = Record(("id", Id), ("name", Text), ("aadObjectId", Text), ("role", Text));

    private static readonly FieldCheck ConversationAccount = Record(
        ("id", Id), ("name", Text), ("aadObjectId", Text), ("role", Text), ("conversationType", Text), ("tenantId", Id), ("isGroup", Flag));

    private static readonly FieldCheck CardAction = Record(
        ("type", Text), ("title", Text), ("image", Text), ("text", Text), ("displayText", Text), ("imageAltText", Text), ("value", Anything), ("channelData", Anything));

    // Entities are open-ended; a mention's fields are typed because the Teams helpers read them (GetMentions).
    private static readonly FieldCheck Entity = Record(("type", Text), ("mentioned", Account), ("text", Text));

    private static readonly (string Name, FieldCheck Check)[] ActivityFields =
    [
        ("type", Text), ("id", Id), ("serviceUrl", Url), ("channelId", Id), ("callerId", Text), ("localTimezone", Text),
        ("textFormat", Text), ("attachmentLayout", Text), ("topicName", Text), ("locale", Text), ("text", Text), ("speak", Text),
        ("inputHint", Text), ("summary", Text), ("replyToId", Id), ("code", Text), ("name", Text), ("valueType", Text),
        ("label", Text), ("importance", Text), ("deliveryMode", Text), ("action", Text),
        ("timestamp", Timestamp), ("localTimestamp", Timestamp), ("expiration", Timestamp),
        ("historyDisclosed", Flag),
        ("from", Account), ("recipient", Account), ("conversation", ConversationAccount),
        ("membersAdded", ListOf(Account)), ("membersRemoved", ListOf(Account)),
        ("reactionsAdded", ListOf(Record(("type", Text)))), ("reactionsRemoved", ListOf(Record(("type", Text)))),
        ("suggestedActions", Record(("to", ListOf(Text)), ("actions", ListOf(CardAction)))),
        ("attachments", ListOf(Record(("contentType", Text), ("contentUrl", Text), ("name", Text), ("thumbnailUrl", Text), ("content", Anything)))),
        ("entities", ListOf(Entity)),
        ("channelData", AnyObject), ("value", AnyObject),
        ("relatesTo", Record(("activityId", Id), ("user", Account), ("bot", Account), ("conversation", ConversationAccount), ("channelId", Id), ("serviceUrl", Url), ("locale", Text))),
        ("listenFor", ListOf(Text)),
        ("textHighlights", ListOf(Record(("text", Text), ("occurrence", Integer)))),
        ("semanticAction", Record(("id", Text), ("state", Text), ("entities", MapOf(Entity)))),
    ];

    /// <summary>The longest id accepted (activity, conversation, account, channel and tenant ids).</summary>
    public const int MaxIdLength = 512;

    /// <summary>Checks one field: null when it is acceptable, else why not.</summary>
    private delegate ActivityRejection? FieldCheck(JsonNode node, string field);

    /// <summary>
    /// Checks the activity's fields (null ones are absent) and then that the Bot Framework's reader takes it; null
    /// when the activity is acceptable. <c>type</c> is required.
    /// </summary>
    public static ActivityRejection? Check(JsonObject activity) => Check(activity, () => ToBotActivity(activity), out _);

    /// <summary>
    /// Checks the activity as <see cref="Check(JsonObject)"/> does, the last check being <paramref name="read"/>: the
    /// Newtonsoft read that gives the activity its turn takes (a JSON exception from it makes the activity unreadable).
    /// </summary>
    public static ActivityRejection? Check(JsonObject activity, Func<Activity> read, out Activity? readActivity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(read);
        readActivity = null;
        if (activity["type"] is null || activity["type"] is JsonValue t && t.TryGetValue<string>(out var type) && string.IsNullOrWhiteSpace(type))
        {
            return ActivityRejection.Missing("type");
        }

        return CheckFields(activity, ActivityFields, prefix: null) ?? CheckReadable(read, out readActivity);
    }

    /// <summary>The activity as the bot reads it (after <see cref="Check(JsonObject)"/> passed).</summary>
    public static Activity ToBotActivity(JsonObject activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return JsonConvert.DeserializeObject<Activity>(activity.ToJsonString(), BotSerializer)
            ?? throw new InvalidOperationException("The activity could not be read as a Bot Framework activity.");
    }

    /// <summary>
    /// An ISO 8601 date and time with seconds and a UTC offset (<c>2026-03-02T10:15:00.123+01:00</c>, <c>...Z</c>),
    /// as Web Chat, Direct Line and Teams send them, that is also a real instant.
    /// </summary>
    public static bool IsTimestamp(string value) =>
        value.Length <= 40
        && IsoTimestamp().IsMatch(value)
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

    private static ActivityRejection? CheckReadable(Func<Activity> read, out Activity? activity)
    {
        try
        {
            activity = read();
            return null;
        }
        catch (Newtonsoft.Json.JsonException)
        {
            // The fields above are the schema as we know it; the reader's own verdict is the last word.
            activity = null;
            return ActivityRejection.Unreadable;
        }
    }

    private static ActivityRejection? CheckFields(JsonObject source, (string Name, FieldCheck Check)[] fields, string? prefix)
    {
        foreach (var (name, check) in fields)
        {
            if (source[name] is { } value && check(value, prefix is null ? name : prefix + "." + name) is { } rejection)
            {
                return rejection;
            }
        }

        return null;
    }

    private static FieldCheck Bounded(int maxLength) =>
        (node, field) => Text(node, field) ?? (node.GetValue<string>().Length <= maxLength ? null : ActivityRejection.TooLong(field, maxLength));

    private static FieldCheck Record(params (string Name, FieldCheck Check)[] fields) =>
        (node, field) => node is JsonObject o ? CheckFields(o, fields, field) : ActivityRejection.WrongType(field);

    /// <summary>A list whose items are all present and acceptable (the bot's code does not expect null items).</summary>
    private static FieldCheck ListOf(FieldCheck item) =>
        (node, field) => node is not JsonArray items ? ActivityRejection.WrongType(field)
            : items.Select(i => i is null ? ActivityRejection.WrongType(field + "[]") : item(i, field + "[]")).FirstOrDefault(r => r is not null);

    private static FieldCheck MapOf(FieldCheck item) =>
        (node, field) => node is not JsonObject map ? ActivityRejection.WrongType(field)
            : map.Select(p => p.Value is null ? null : item(p.Value, field + ".*")).FirstOrDefault(r => r is not null);

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?(Z|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTimestamp();
}
