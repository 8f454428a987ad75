using System.Text.Json;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Cards;

/// <summary>
/// Copies a System.Text.Json tree into the Newtonsoft tree that Bot Framework activities carry, node by node.
/// Writing the card as text and parsing the text again cost about 4 % of a turn's CPU.
/// </summary>
internal static class NewtonsoftTree
{
    public static JToken From(JsonNode? node) => node switch
    {
        null => JValue.CreateNull(),
        JsonObject o => FromObject(o),
        JsonArray a => FromArray(a),
        JsonValue v => FromValue(v),
        _ => throw new ArgumentException($"Unknown JSON node {node.GetType().Name}.", nameof(node)),
    };

    public static JObject FromObject(JsonObject source)
    {
        var target = new JObject();
        foreach (var (name, value) in source)
        {
            target.Add(name, From(value));
        }

        return target;
    }

    private static JArray FromArray(JsonArray source)
    {
        var target = new JArray();
        foreach (var item in source)
        {
            target.Add(From(item));
        }

        return target;
    }

    private static JValue FromValue(JsonValue value)
    {
        // The builder puts in strings, booleans and integers; a value of any other .NET type is read as its JSON.
        if (value.TryGetValue<string>(out var text))
        {
            return new JValue(text);
        }

        if (value.TryGetValue<bool>(out var flag))
        {
            return new JValue(flag);
        }

        if (value.TryGetValue<int>(out var number))
        {
            return new JValue(number);
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => new JValue(value.GetValue<JsonElement>().GetString()),
            JsonValueKind.True => new JValue(true),
            JsonValueKind.False => new JValue(false),
            JsonValueKind.Null => JValue.CreateNull(),
            JsonValueKind.Number when value.TryGetValue<long>(out var whole) => new JValue(whole),
            JsonValueKind.Number => new JValue(value.GetValue<double>()),
            var kind => throw new ArgumentException($"Unexpected JSON value of kind {kind}.", nameof(value)),
        };
    }
}
