using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace ExportCenter.Dialogs.Cards;

/// <summary>
/// A small typed builder for Adaptive Cards, written because the AdaptiveCards package is not served here.
/// It produces the card JSON that Web Chat and Teams render. Only the elements the bot uses are modelled;
/// tests validate the output with the adaptivecards renderer's own parser.
/// </summary>
public sealed class AdaptiveCard
{
    /// <summary>MIME type of an Adaptive Card attachment.</summary>
    public const string ContentType = "application/vnd.microsoft.card.adaptive";

    private readonly List<JsonObject> _body = [];
    private readonly List<JsonObject> _actions = [];

    /// <summary>Creates a card for the given schema version. Teams renders at most 1.5, so that is the default.</summary>
    public AdaptiveCard(string version = "1.5")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        Version = version;
    }

    /// <summary>The card schema version.</summary>
    public string Version { get; }

    /// <summary>Language of the card's text (ISO 639-1), read by screen readers.</summary>
    public string? Lang { get; init; }

    /// <summary>Whether the card's text runs right to left (Arabic).</summary>
    public bool Rtl { get; init; }

    /// <summary>Text read out instead of the card's content where a channel supports speech.</summary>
    public string? Speak { get; init; }

    /// <summary>Adds a text block.</summary>
    public AdaptiveCard AddText(string text, TextStyle style = TextStyle.Body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var block = new JsonObject { ["type"] = "TextBlock", ["text"] = text, ["wrap"] = true };
        switch (style)
        {
            case TextStyle.Heading:
                block["size"] = "Large";
                block["weight"] = "Bolder";
                block["style"] = "heading";
                break;
            case TextStyle.Subheading:
                block["size"] = "Medium";
                block["weight"] = "Bolder";
                break;
            case TextStyle.Subtle:
                block["isSubtle"] = true;
                block["size"] = "Small";
                break;
            case TextStyle.Question:
                block["weight"] = "Bolder";
                block["spacing"] = "Medium";
                break;
        }

        _body.Add(block);
        return this;
    }

    /// <summary>
    /// Adds an Action.Submit button. Object data makes Web Chat send a message whose <c>value</c> is the data
    /// (a postBack, not shown in the transcript); Teams does the same.
    /// </summary>
    public AdaptiveCard AddSubmit(string title, IReadOnlyDictionary<string, string> data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(data);
        var payload = new JsonObject();
        foreach (var (key, value) in data)
        {
            payload[key] = value;
        }

        _actions.Add(new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = payload });
        return this;
    }

    /// <summary>
    /// Adds a row of Action.Submit buttons inside the body (an ActionSet), so that a card can offer more
    /// buttons than the five top-level actions hosts allow, each group where it belongs.
    /// </summary>
    public AdaptiveCard AddSubmitSet(IEnumerable<(string Title, IReadOnlyDictionary<string, string> Data)> buttons)
    {
        ArgumentNullException.ThrowIfNull(buttons);
        var actions = new JsonArray();
        foreach (var (title, data) in buttons)
        {
            var payload = new JsonObject();
            foreach (var (key, value) in data)
            {
                payload[key] = value;
            }

            actions.Add(new JsonObject { ["type"] = "Action.Submit", ["title"] = title, ["data"] = payload });
        }

        _body.Add(new JsonObject { ["type"] = "ActionSet", ["actions"] = actions });
        return this;
    }

    /// <summary>Adds a list of name/value pairs (a FactSet); empty values are left out.</summary>
    public AdaptiveCard AddFacts(IEnumerable<(string Title, string? Value)> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var list = new JsonArray();
        foreach (var (title, value) in facts)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                list.Add(new JsonObject { ["title"] = title, ["value"] = value });
            }
        }

        if (list.Count > 0)
        {
            _body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = list });
        }

        return this;
    }

    /// <summary>
    /// Adds a row of actions inside the body (an ActionSet). Actions that Teams should send as
    /// <c>Action.Execute</c> carry an <c>Action.Submit</c> fallback for clients without Universal Actions.
    /// </summary>
    public AdaptiveCard AddActionSet(IEnumerable<CardButton> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        _body.Add(new JsonObject { ["type"] = "ActionSet", ["actions"] = new JsonArray([.. actions.Select(a => (JsonNode)a.ToJson())]) });
        return this;
    }

    /// <summary>
    /// Adds a button that opens <paramref name="card"/> below this card on demand (Action.ShowCard): details
    /// that would otherwise be stacked under the answer.
    /// </summary>
    public AdaptiveCard AddShowCard(string title, AdaptiveCard card)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(card);
        var inner = card.ToJsonObject();
        inner.Remove("$schema");
        inner.Remove("version");
        _actions.Add(new JsonObject { ["type"] = "Action.ShowCard", ["title"] = title, ["card"] = inner });
        return this;
    }

    /// <summary>Whether the card has anything in its body.</summary>
    public bool HasBody => _body.Count > 0;

    /// <summary>Adds a button that opens a web page.</summary>
    public AdaptiveCard AddOpenUrl(string title, Uri url)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        ArgumentNullException.ThrowIfNull(url);
        _actions.Add(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = title, ["url"] = url.ToString() });
        return this;
    }

    /// <summary>The card as a JSON object.</summary>
    public JsonObject ToJsonObject()
    {
        var card = new JsonObject
        {
            ["type"] = "AdaptiveCard",
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["version"] = Version,
        };
        if (Lang is not null)
        {
            card["lang"] = Lang;
        }

        if (Speak is not null)
        {
            card["speak"] = Speak;
        }

        if (Rtl)
        {
            card["rtl"] = true;
        }

        card["body"] = new JsonArray([.. _body.Select(e => e.DeepClone())]);
        if (_actions.Count > 0)
        {
            card["actions"] = new JsonArray([.. _actions.Select(e => e.DeepClone())]);
        }

        return card;
    }

    /// <summary>
    /// The card as JSON text, the same as <see cref="ToJsonObject"/>'s: written straight from the card's elements, as
    /// copying them into a new tree first was a turn's largest allocation after the SDK's own.
    /// </summary>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = SerializerOptions.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "AdaptiveCard");
            writer.WriteString("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
            writer.WriteString("version", Version);
            if (Lang is not null)
            {
                writer.WriteString("lang", Lang);
            }

            if (Speak is not null)
            {
                writer.WriteString("speak", Speak);
            }

            if (Rtl)
            {
                writer.WriteBoolean("rtl", true);
            }

            WriteArray(writer, "body", _body);
            if (_actions.Count > 0)
            {
                WriteArray(writer, "actions", _actions);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteArray(Utf8JsonWriter writer, string name, IEnumerable<JsonNode> elements)
    {
        writer.WriteStartArray(name);
        foreach (var element in elements)
        {
            element.WriteTo(writer, SerializerOptions);
        }

        writer.WriteEndArray();
    }

    /// <summary>The card as JSON text (<see cref="ToJson"/>).</summary>
    public override string ToString() => ToJson();

    /// <summary>The card as an attachment's content, written as its JSON when the reply is sent.</summary>
    public CardContent ToContent() => new(this);

    // Letters of every script as they are; what could end a string or a script element is still escaped.
    private static readonly JsonSerializerOptions SerializerOptions = new() { WriteIndented = false, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
}

/// <summary>How a card's buttons reach the bot.</summary>
public enum ActionStyle
{
    /// <summary>Action.Submit: a message with <c>value</c> (Web Chat, and Teams' fallback).</summary>
    Submit,

    /// <summary>Action.Execute (Teams' Universal Actions, an <c>adaptiveCard/action</c> invoke) with an Action.Submit fallback.</summary>
    Execute,
}

/// <summary>A card button.</summary>
public abstract record CardButton(string Title)
{
    public abstract JsonObject ToJson();
}

/// <summary>A button that sends <paramref name="Data"/> (plus the values of the card's inputs) to the bot.</summary>
public sealed record CardSubmit(string Title, string Verb, IReadOnlyDictionary<string, string> Data, ActionStyle Style) : CardButton(Title)
{
    /// <summary>The data key that carries the verb on the Action.Submit path.</summary>
    public const string VerbKey = "verb";

    public override JsonObject ToJson()
    {
        var submit = new JsonObject { ["type"] = "Action.Submit", ["title"] = Title, ["data"] = Payload() };
        if (Style == ActionStyle.Submit)
        {
            return submit;
        }

        return new JsonObject
        {
            ["type"] = "Action.Execute",
            ["title"] = Title,
            ["verb"] = Verb,
            ["data"] = Payload(),
            ["fallback"] = submit,
        };
    }

    private JsonObject Payload()
    {
        var payload = new JsonObject { [VerbKey] = Verb };
        foreach (var (key, value) in Data)
        {
            payload[key] = value;
        }

        return payload;
    }
}

/// <summary>A button that opens a small form (Action.ShowCard) with inputs and one submitting button.</summary>
public sealed record CardForm(string Title, IReadOnlyList<CardInput> Inputs, CardSubmit Submit) : CardButton(Title)
{
    public override JsonObject ToJson()
    {
        var body = new JsonArray([.. Inputs.Select(i => (JsonNode)i.ToJson())]);
        return new JsonObject
        {
            ["type"] = "Action.ShowCard",
            ["title"] = Title,
            ["card"] = new JsonObject
            {
                ["type"] = "AdaptiveCard",
                ["body"] = body,
                ["actions"] = new JsonArray(Submit.ToJson()),
            },
        };
    }
}

/// <summary>An input on a card; its value arrives under its id.</summary>
public abstract record CardInput(string Id, string Label)
{
    public abstract JsonObject ToJson();
}

/// <summary>A choice among fixed values (a drop-down).</summary>
public sealed record CardChoiceInput(string Id, string Label, IReadOnlyList<(string Title, string Value)> Choices, string? Value = null) : CardInput(Id, Label)
{
    public override JsonObject ToJson()
    {
        var input = new JsonObject
        {
            ["type"] = "Input.ChoiceSet",
            ["id"] = Id,
            ["label"] = Label,
            ["isRequired"] = true,
            ["errorMessage"] = Label,
            ["style"] = "compact",
            ["choices"] = new JsonArray([.. Choices.Select(c => (JsonNode)new JsonObject { ["title"] = c.Title, ["value"] = c.Value })]),
        };
        if (Value is not null)
        {
            input["value"] = Value;
        }

        return input;
    }
}

/// <summary>A free-text input.</summary>
public sealed record CardTextInput(string Id, string Label, int MaxLength, bool Multiline = true) : CardInput(Id, Label)
{
    public override JsonObject ToJson() => new()
    {
        ["type"] = "Input.Text",
        ["id"] = Id,
        ["label"] = Label,
        ["isRequired"] = true,
        ["errorMessage"] = Label,
        ["isMultiline"] = Multiline,
        ["maxLength"] = MaxLength,
    };
}

/// <summary>How a text block is shown.</summary>
public enum TextStyle
{
    /// <summary>Ordinary wrapped text.</summary>
    Body,

    /// <summary>A large bold heading, announced as a heading.</summary>
    Heading,

    /// <summary>Small, subdued text.</summary>
    Subtle,

    /// <summary>A medium bold line that introduces a part of the card.</summary>
    Subheading,

    /// <summary>A bold line set a little apart: the card's closing question.</summary>
    Question,
}
