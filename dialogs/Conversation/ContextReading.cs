using System.Text.RegularExpressions;
using ExportCenter.Knowledge.Entities;
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

    /// <summary>
    /// Topics that are the same question inside and outside the EU's product rules (which the EEA follows), to follow a
    /// change of market ("and Germany?").
    /// </summary>
    private static readonly Dictionary<(string Topic, bool InEu), string> ByMarket = new()
    {
        [("non-eu-product-rules", true)] = "eu-product-rules",
        [("eu-product-rules", false)] = "non-eu-product-rules",
    };

    /// <summary>
    /// How far ahead of the rest a short follow-up's own topic must be to switch to it ("och tullen?", "og mva?"); below
    /// that, the current topic holds.
    /// </summary>
    private const float OwnTopicOfFollowUp = 0.5f;

    public static TopicalAnswer? Read(MessageUnderstandingResult understood, Facet? facet, bool factsChanged, string text, ConversationData data, KnowledgeBase knowledge)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var current = data.LastTopic is { } id ? knowledge.TopicsById.GetValueOrDefault(id) : null;
        var folded = " " + string.Join(' ', TextNormalizer.Tokens(text)) + " ";
        var cue = FollowUpCue().IsMatch(folded);

        // "nej vänta, det är deras dotterbolag i Irland", "förlåt, jag menar tjänster": a correction of what was said
        // about the current question, not a new one.
        if (current is not null && factsChanged && words <= FollowUpWords * 2 && CorrectionCue().IsMatch(folded))
        {
            return new TopicalAnswer(Adjusted(current, data.Facts, knowledge), null);
        }

        // Twins among the candidates ("momsen" for goods or services) and the company has said which: no need to ask.
        if (understood.Action == MessageAction.Clarify && understood.Candidates is [var first, ..]
            && knowledge.TopicsById.TryGetValue(first.Topic, out var leading) && Twin(leading, data.Facts) is { } twin
            && understood.Candidates.Take(3).Any(c => c.Topic == twin.Twin))
        {
            return new TopicalAnswer(knowledge.TopicsById[twin.Settled], facet);
        }

        if (understood.Action == MessageAction.Answer && understood.Topic is { } own && knowledge.TopicsById.TryGetValue(own, out var ownTopic))
        {
            // A short facet question names no topic; what the classifier finds in "vad kostar det?" is noise.
            return current is not null && facet is not null && words <= FollowUpWords && own != current.Id
                ? new TopicalAnswer(current, facet)
                : new TopicalAnswer(factsChanged ? Adjusted(ownTopic, data.Facts, knowledge) : ownTopic, facet);
        }

        // "Vem kan jag prata med här i närheten?" with no topic yet, or topics that compete: the region's door.
        if (current is null && facet == Facet.Contact && understood.Action == MessageAction.Clarify
            && knowledge.TopicsById.TryGetValue(MessageUnderstanding.WhoToContact, out var door))
        {
            return new TopicalAnswer(door, null);
        }

        if (current is null || (understood.Action == MessageAction.Handoff && facet is null))
        {
            return null;
        }

        // Competing topics, one of them the current one: the conversation breaks the tie.
        if (understood.Action == MessageAction.Clarify && understood.Candidates.Take(2).Any(c => c.Topic == current.Id))
        {
            return new TopicalAnswer(Adjusted(current, data.Facts, knowledge), words <= FollowUpWords + 4 ? facet : null);
        }

        if (facet is not null && words <= FollowUpWords + 4 && (understood.Action != MessageAction.Smalltalk || words <= FollowUpWords))
        {
            return new TopicalAnswer(current, facet);
        }

        if (understood.Action is MessageAction.Smalltalk && !cue)
        {
            return null;
        }

        // "og hvad med tolden?" where two other topics compete: asking is better than staying on the current one.
        if (cue && !factsChanged && understood.Action == MessageAction.Clarify && understood.Candidates is [var a, var b, ..]
            && a.Topic != current.Id && b.Topic != current.Id && a.Score + b.Score >= OwnTopicOfFollowUp)
        {
            return null;
        }

        if (words <= FollowUpWords && (factsChanged || cue))
        {
            // "och tullen?", "og mva?": a short follow-up that names a topic of its own, clearly, moves to it.
            // "and in Canada?" names a country, not a topic; whatever topic the classifier sees in it is noise.
            if (cue && !factsChanged && understood.Candidates is [var named, ..] && named.Score >= OwnTopicOfFollowUp && named.Topic != current.Id
                && knowledge.TopicsById.TryGetValue(named.Topic, out var next))
            {
                return new TopicalAnswer(Adjusted(next, data.Facts, knowledge), null);
            }

            return new TopicalAnswer(Adjusted(current, data.Facts, knowledge), null);
        }

        return null;
    }

    /// <summary>Whether the message points back with a pronoun ("hur får jag tag på dom?", "how do I reach them?").</summary>
    public static bool RefersBack(string text) =>
        TextNormalizer.Tokens(text).Any(t => t is "dom" or "dem" or "de" or "them" or "they" or "dere" or "ihnen" or "sie" or "hen" or "honom" or "henne");

    /// <summary>The topic's twin for a fact the company has stated, and which of the two that fact settles on; else null.</summary>
    private static (string Twin, string Settled)? Twin(Topic topic, ConversationFacts facts)
    {
        foreach (var ((id, offering), other) in ByOffering)
        {
            if (facts.Offering is { } stated && (id == topic.Id || other == topic.Id))
            {
                var twin = id == topic.Id ? other : id;
                return (twin, ByOffering.TryGetValue((topic.Id, stated), out var moved) ? moved : topic.Id);
            }
        }

        return null;
    }

    /// <summary>The topic, or its twin for what the company has said: services instead of goods, inside or outside the EU.</summary>
    private static Topic Adjusted(Topic topic, ConversationFacts facts, KnowledgeBase knowledge)
    {
        if (facts.Offering is { } offering && ByOffering.TryGetValue((topic.Id, offering), out var byOffering))
        {
            return knowledge.TopicsById[byOffering];
        }

        if (facts.CountryGroup is { } group && ByMarket.TryGetValue((topic.Id, group is CountryRecognizer.Eu or CountryRecognizer.Eea), out var byMarket))
        {
            return knowledge.TopicsById[byMarket];
        }

        return topic;
    }

    [GeneratedRegex(@"^ (nej|nej vanta|vanta|forlat|ursakta|oj|jag menar|menar|rattelse|no|no wait|wait|sorry|actually|i mean|correction|nei|undskyld|beklager|nein|entschuldigung|ich meine) ", RegexOptions.CultureInvariant)]
    private static partial Regex CorrectionCue();

    [GeneratedRegex(@"^ (ok |okej |okay |ja |yes |jo )?(och|and|men|but|what about|how about|hur ar det med|hur blir det (med|for)|galler det|samma for|same for|for |om (det|vi|kunden|koparen)|if |og|hva med|hvad med|hvordan med|und|was ist mit|wie ist es mit|et|en hoe zit het met|y|i|ja) ", RegexOptions.CultureInvariant)]
    private static partial Regex FollowUpCue();
}
