using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace ExportCenter.Bot.Tests.Fuzzing;

/// <summary>
/// One generated activity: the mutations applied to a valid one, the JSON text to post, and its type after the
/// mutations (null when it is no longer a string).
/// </summary>
public sealed record MutatedActivity(string Mutations, string Json, string? Type)
{
    public override string ToString() =>
        Mutations + ": " + (Json.Length > 600 ? Json[..600] + $"... ({Json.Length} characters)" : Json);
}

/// <summary>
/// Mutations of valid activities for the channels' edges: a field with the wrong JSON type, lone UTF-16
/// surrogates, huge strings, deep nesting, invalid timestamps, unknown activity types, missing fields, nulls,
/// extra fields and fields named twice. Every generated string carries <see cref="Canary"/>, so a test can tell client text in a log.
/// </summary>
public static class ActivityMutations
{
    /// <summary>Marks every string the generator writes; it must never appear in a log.</summary>
    public const string Canary = "QX7FUZZ";

    // System.Text.Json cannot write a lone surrogate, so a marker stands in for it until the text is serialized.
    private const string LoneHighMarker = "@@LONE-HIGH@@";
    private const string LoneLowMarker = "@@LONE-LOW@@";

    // Nor an object that names a property twice: the marker makes a second name that becomes the first's.
    private const string DuplicateMarker = "@@DUPLICATE@@";

    // Fields of the Bot Framework activity schema a valid activity may lack, so mutations reach them too.
    private static readonly string[][] ExtraPaths =
    [
        ["value"], ["channelData"], ["attachments"], ["attachments", "0", "content"], ["attachments", "0", "contentType"],
        ["entities"], ["entities", "0", "type"], ["localTimestamp"], ["timestamp"], ["expiration"], ["replyToId"],
        ["name"], ["suggestedActions"], ["suggestedActions", "actions"], ["relatesTo"], ["membersAdded"], ["from"],
        ["from", "id"], ["from", "role"], ["conversation"], ["conversation", "isGroup"], ["recipient"],
        ["channelData", "clientActivityID"], ["channelData", "postBack"], ["channelData", "tenant"],
        ["channelData", "tenant", "id"], ["channelData", "team"], ["locale"], ["textFormat"], ["speak"],
        ["attachmentLayout"], ["listenFor"], ["textHighlights"], ["historyDisclosed"], ["importance"],
        ["deliveryMode"], ["inputHint"], ["semanticAction"], ["reactionsAdded"], ["valueType"], ["label"],
    ];

    private static readonly JsonSerializerOptions DeepWriting = new() { MaxDepth = 1024 };

    private static readonly string[] TimestampFields = ["localTimestamp", "timestamp", "expiration"];

    private static readonly string[] Types =
    [
        "invoke", "conversationUpdate", "endOfConversation", "installationUpdate", "messageReaction", "trace",
        "handoff", "command", "commandResult", "contactRelationUpdate", "deleteUserData", "messageUpdate",
        "messageDelete", "suggestion", "delay", "MESSAGE", "Message", "", " ", Canary + "-type",
    ];

    private static readonly Gen<string> ShortText =
        Gen.Char["abcdefghijklmnopqrstuvwxyzåäöÅÄÖ 0123456789.,?!-_:/\\\"'{}[]€é\t\n"].Array[0, 24]
            .Select(chars => Canary + new string(chars));

    private static readonly Gen<JsonNode?> Scalar = Gen.Frequency(
        (2, Gen.Const((JsonNode?)null)),
        (2, Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b))),
        (3, Gen.Int.Select(i => (JsonNode?)JsonValue.Create(i))),
        (1, Gen.Double[-1e300, 1e300].Select(d => (JsonNode?)JsonValue.Create(d))),
        (1, Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l))),
        (4, ShortText.Select(s => (JsonNode?)JsonValue.Create(s))));

    private static readonly Gen<JsonNode?> Composite = Gen.OneOf(
        Scalar,
        Scalar.Array[0, 4].Select(items => (JsonNode?)new JsonArray([.. items])),
        Gen.Select(ShortText.Array[0, 4], Scalar.Array[4], (names, values) => (JsonNode?)ObjectOf(names, values)));

    /// <summary>Any JSON value: null, a boolean, a number, a string, or an array or object of those, two levels deep.</summary>
    public static readonly Gen<JsonNode?> AnyValue = Gen.OneOf(
        Scalar,
        Composite.Array[0, 3].Select(items => (JsonNode?)new JsonArray([.. items])),
        Gen.Select(ShortText.Array[0, 3], Composite.Array[3], (names, values) => (JsonNode?)ObjectOf(names, values)));

    private static readonly Gen<string> HugeString = Gen.Select(Gen.Int[10_000, 300_000], Gen.OneOf<string>("x", "åäö ", "😀", "\\"),
        (length, unit) => Canary + string.Concat(Enumerable.Repeat(unit, length / unit.Length)));

    private static readonly Gen<string> LoneSurrogateText = Gen.Select(ShortText, Gen.OneOf<string>(LoneHighMarker, LoneLowMarker, LoneLowMarker + LoneHighMarker), ShortText,
        (before, lone, after) => before + lone + after);

    private static readonly Gen<JsonNode?> BadTimestamp = Gen.OneOf(
        Gen.OneOf<string>("yesterday", "", " ", "2026-13-45T25:61:00Z", "2026-03-02T10:15:00+25:00", "0000-00-00T00:00:00Z",
            "2026-02-30T10:00:00Z", "/Date(abc)/", "2026-03-02T10:15:00.000+01:00", "9999-12-31T23:59:59.9999999-14:00",
            "1.1.1", "T", "2026-03-02 10:15").Select(s => (JsonNode?)JsonValue.Create(Canary + s)),
        Gen.OneOf<string>("2026-03-02T10:15:00.000+01:00", "2026-03-02", "Mon, 02 Mar 2026 10:15:00 GMT").Select(s => (JsonNode?)JsonValue.Create(s)),
        HugeString.Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Long.Select(l => (JsonNode?)JsonValue.Create(l)),
        AnyValue);

    /// <summary>Mutated copies of the given valid activities: none to three mutations each (a sixth stay valid).</summary>
    public static Gen<MutatedActivity> Of(params JsonObject[] valid)
    {
        ArgumentNullException.ThrowIfNull(valid);
        return Gen.Int[0, valid.Length - 1].SelectMany(i =>
        {
            var mutation = MutationOf(valid[i]);
            return Gen.Frequency((1, Gen.Const(Array.Empty<Mutation>())), (5, mutation.Array[1, 3]))
                .Select(mutations => Apply(valid[i], mutations));
        });
    }

    private static Gen<Mutation> MutationOf(JsonObject valid)
    {
        var paths = Paths(valid, []).Concat(ExtraPaths).ToArray();
        var path = Gen.Int[0, paths.Length - 1].Select(i => paths[i]);
        return Gen.Frequency(
            (6, Gen.Select(path, AnyValue, (p, v) => Set("wrong type", p, v))),
            (3, Gen.Select(path, LoneSurrogateText, (p, s) => Set("lone surrogate", p, JsonValue.Create(s)))),
            (1, Gen.Select(LoneSurrogateText, AnyValue, (name, v) => new Mutation("lone surrogate in a name", a => a[name] = v))),
            (2, Gen.Select(path, HugeString, (p, s) => Set("huge string", p, JsonValue.Create(s)))),
            (2, Gen.Select(path, Gen.Int[5, 300], Gen.Bool, (p, depth, arrays) => Set($"nesting {depth}", p, Nested(depth, arrays)))),
            (3, Gen.Select(Gen.Int[0, TimestampFields.Length - 1], BadTimestamp, (f, v) => Set("timestamp", [TimestampFields[f]], v))),
            (3, Gen.Int[0, Types.Length - 1].Select(t => Set("type", ["type"], JsonValue.Create(Types[t])))),
            (3, path.Select(p => new Mutation("missing " + string.Join('.', p), a => Remove(a, p)))),
            (2, path.Select(p => Set("null", p, null))),
            (1, Gen.Select(Gen.Int[0, valid.Count - 1], AnyValue, (i, v) => Set("duplicate", [DuplicateMarker + valid.ElementAt(i).Key], v))),
            (3, Gen.Select(Gen.OneOf(Gen.Int[0, ExtraPaths.Length - 1].Select(i => ExtraPaths[i][0]), ShortText), AnyValue,
                (name, v) => Set("extra field", [name], v))));
    }

    private static MutatedActivity Apply(JsonObject valid, Mutation[] mutations)
    {
        var activity = valid.DeepClone().AsObject();
        foreach (var mutation in mutations)
        {
            mutation.Apply(activity);
        }

        var json = activity.ToJsonString(DeepWriting)
            .Replace(LoneHighMarker, "\\uD83D", StringComparison.Ordinal)
            .Replace(LoneLowMarker, "\\uDE00", StringComparison.Ordinal)
            .Replace(DuplicateMarker, "", StringComparison.Ordinal);
        var labels = mutations.Length == 0 ? "valid" : string.Join(" + ", mutations.Select(m => m.Label));
        var type = activity["type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : null;
        return new MutatedActivity(labels, json, type);
    }

    private static Mutation Set(string what, string[] path, JsonNode? value) =>
        new($"{what} at {string.Join('.', path)}", a => SetAt(a, path, value?.DeepClone()));

    /// <summary>Sets the value at a path, creating objects (or arrays, for index segments) on the way.</summary>
    private static void SetAt(JsonObject activity, string[] path, JsonNode? value)
    {
        JsonNode parent = activity;
        for (var i = 0; i < path.Length - 1; i++)
        {
            var next = Child(parent, path[i]);
            if (next is not JsonObject and not JsonArray)
            {
                next = int.TryParse(path[i + 1], CultureInfo.InvariantCulture, out _) ? new JsonArray() : new JsonObject();
                SetChild(parent, path[i], next);
            }

            parent = next;
        }

        SetChild(parent, path[^1], value);
    }

    private static void Remove(JsonObject activity, string[] path)
    {
        JsonNode? parent = activity;
        foreach (var segment in path[..^1])
        {
            parent = parent is null ? null : Child(parent, segment);
        }

        if (parent is JsonObject o)
        {
            o.Remove(path[^1]);
        }
        else if (parent is JsonArray a && int.TryParse(path[^1], CultureInfo.InvariantCulture, out var index) && index < a.Count)
        {
            a.RemoveAt(index);
        }
    }

    private static JsonNode? Child(JsonNode parent, string segment) => parent switch
    {
        JsonObject o => o[segment],
        JsonArray a when int.TryParse(segment, CultureInfo.InvariantCulture, out var i) && i < a.Count => a[i],
        _ => null,
    };

    private static void SetChild(JsonNode parent, string segment, JsonNode? value)
    {
        if (parent is JsonObject o)
        {
            o[segment] = value;
        }
        else if (parent is JsonArray a && int.TryParse(segment, CultureInfo.InvariantCulture, out var i))
        {
            if (i < a.Count)
            {
                a[i] = value;
            }
            else
            {
                a.Add(value);
            }
        }
    }

    /// <summary>Every path in the valid activity (objects' properties and arrays' items).</summary>
    private static IEnumerable<string[]> Paths(JsonNode? node, string[] prefix)
    {
        IEnumerable<(string Segment, JsonNode? Child)> children = node switch
        {
            JsonObject o => o.Select(p => (p.Key, p.Value)),
            JsonArray a => a.Select((child, i) => (i.ToString(CultureInfo.InvariantCulture), child)),
            _ => [],
        };
        foreach (var (segment, child) in children)
        {
            string[] path = [.. prefix, segment];
            yield return path;
            foreach (var deeper in Paths(child, path))
            {
                yield return deeper;
            }
        }
    }

    private static JsonNode Nested(int depth, bool arrays)
    {
        JsonNode node = JsonValue.Create(Canary)!;
        for (var i = 0; i < depth; i++)
        {
            node = arrays ? new JsonArray(node) : new JsonObject { ["a"] = node };
        }

        return node;
    }

    private static JsonObject ObjectOf(string[] names, JsonNode?[] values)
    {
        var o = new JsonObject();
        for (var i = 0; i < names.Length; i++)
        {
            o[names[i]] = values[i];
        }

        return o;
    }

    private sealed record Mutation(string Label, Action<JsonObject> Apply);
}
