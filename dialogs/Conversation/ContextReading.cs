using System.Text.RegularExpressions;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>What to answer: a topic, and the facet of it that was asked about (or none).</summary>
internal sealed record TopicalAnswer(Topic Topic, Facet? Facet);

/// <summary>
/// Reads a message against the conversation. A message with a clear topic of its own switches the topic; a
/// message without one is read against the current topic when it asks a facet ("och vad kostar det?"),
/// states a new fact ("and for Switzerland?", "jag menar tjänster, inte varor") or reads as a follow-up
/// ("och om …", "what about …").
/// </summary>
internal static partial class ContextReading
{
    /// <summary>Short messages are the ones that lean on what was said before.</summary>
    private const int FollowUpWords = 8;

    /// <summary>Topics that are the same question for goods and for services, to follow a correction between them.</summary>
    private static readonly Dictionary<(string Topic, string Offering), string> ByOffering = new()
    {
        [("vat-goods", FactReader.Services)] = "vat-services-ecommerce",
        [("vat-services-ecommerce", FactReader.Goods)] = "vat-goods",
    };

    public static TopicalAnswer? Read(MessageUnderstandingResult understood, Facet? facet, bool factsChanged, string text, ConversationData data, KnowledgeBase knowledge)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var current = data.LastTopic is { } id ? knowledge.TopicsById.GetValueOrDefault(id) : null;
        if (understood.Action == MessageAction.Answer && understood.Topic is { } own && knowledge.TopicsById.TryGetValue(own, out var ownTopic))
        {
            // A short facet question names no topic; what the classifier finds in "vad kostar det?" is noise.
            return current is not null && facet is not null && words <= FollowUpWords && own != current.Id
                ? new TopicalAnswer(current, facet)
                : new TopicalAnswer(ownTopic, facet);
        }

        if (current is null || understood.Action is MessageAction.Smalltalk || (understood.Action == MessageAction.Handoff && facet is null))
        {
            return null;
        }

        if (facet is not null && words <= FollowUpWords + 4)
        {
            return new TopicalAnswer(current, facet);
        }

        if (words <= FollowUpWords && (factsChanged || FollowUpCue().IsMatch(" " + TextNormalizer.Fold(text) + " ")))
        {
            var topic = data.Facts.Offering is { } offering && ByOffering.TryGetValue((current.Id, offering), out var other)
                ? knowledge.TopicsById[other]
                : current;
            return new TopicalAnswer(topic, null);
        }

        return null;
    }

    [GeneratedRegex(@"^ (och|and|men|but|what about|how about|hur ar det med|hur blir det (med|for)|galler det|samma for|same for|for |om (det|vi|kunden|koparen)|if ) ", RegexOptions.CultureInvariant)]
    private static partial Regex FollowUpCue();
}
