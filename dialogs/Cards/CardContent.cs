using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Cards;

/// <summary>
/// An Adaptive Card as an attachment's content: a raw JSON token that Newtonsoft writes as the card's JSON, in one
/// piece. The SDK's converter for attachment content copies a JObject node by node before writing it, and writing
/// each string of it escaped through Newtonsoft cost more again: building the card as a JObject and that copy were
/// about a fifth of what a turn allocated. Until the reply is sent the card can still be added to (<see cref="Card"/>):
/// its JSON is written when the activity is.
/// </summary>
public sealed class CardContent : JRaw
{
    private readonly AdaptiveCard _card;

    // The token's value is the card itself; a raw token is written as its value's text, which is the card's JSON.
    public CardContent(AdaptiveCard card)
        : base(card ?? throw new ArgumentNullException(nameof(card))) => _card = card;

    /// <summary>The card, for a last line added before the reply goes out.</summary>
    public AdaptiveCard Card() => _card;

    /// <summary>The card's JSON as the channel gets it.</summary>
    public string ToJson() => _card.ToJson();

    /// <summary>The card as a Newtonsoft object (the form a card has in an activity read back from JSON).</summary>
    public JObject ToJObject() => JObject.Parse(ToJson());
}
