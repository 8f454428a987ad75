using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The curated answer of a topic as an Adaptive Card: the answer, who to contact and how (the route,
/// primary first), and buttons to the organisations' own pages.
/// </summary>
public static class AnswerCard
{
    /// <summary>The key under which a card button's data names a topic to answer.</summary>
    public const string TopicKey = "topic";

    /// <summary>The action value of a "show this topic" button.</summary>
    public const string TopicAction = "topic";

    /// <summary>The action value of a follow-up answer button.</summary>
    public const string FollowUpAction = "follow-up";

    /// <summary>The key under which a follow-up button names its option.</summary>
    public const string OptionKey = "option";

    /// <summary>
    /// Builds the card; <paramref name="intro"/> is an optional line above the answer, <paramref name="alternatives"/>
    /// other topics offered as buttons, <paramref name="matched"/> the follow-up option the company's own facts answer.
    /// Short first: the answer, who helps and how, the follow-up; the details, the organisations' descriptions
    /// and the other contacts open on demand. No link appears twice.
    /// </summary>
    internal static AdaptiveCard Build(Topic topic, KnowledgeBase knowledge, ConversationLanguage language, string? intro = null, IReadOnlyList<Topic>? alternatives = null, MatchedOption? matched = null)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(knowledge);
        var texts = BotTexts.For(language);
        var links = new HashSet<Uri>(topic.Links.Take(3).Select(l => l.Url));
        var card = new AdaptiveCard { Lang = language.ToIsoCode(), Speak = topic.Title.In(language) };
        if (intro is not null)
        {
            card.AddText(intro, TextStyle.Subtle);
        }

        card.AddText(topic.Title.In(language), TextStyle.Heading)
            .AddText(topic.Answer.In(language));
        if (matched is not null)
        {
            card.AddText(ContextTexts.Because(matched.Reason, language), TextStyle.Subheading)
                .AddText(matched.Option.Answer.In(language));
        }

        card.AddText(texts.WhoCanHelp, TextStyle.Subheading);
        var details = new AdaptiveCard(); // shown inside the answer card, whose lang it shares
        if (topic.Details is { } more)
        {
            details.AddText(more.In(language));
        }

        foreach (var organisation in topic.Route.Select(id => knowledge.OrganisationsById[id]))
        {
            card.AddText($"**{organisation.Name.In(language)}**: {HowToReach(organisation, language, links)}");
            details.AddText($"**{organisation.Name.In(language)}** – {organisation.Summary.In(language)}");
        }

        // Where the answer depends on a detail, the follow-up question is asked with its options as buttons
        // (the option the company's facts answered already is shown above; the others stay).
        var followUp = matched?.FollowUp ?? (topic.FollowUps.Count > 0 ? topic.FollowUps[0] : null);
        if (alternatives is not { Count: > 0 } && followUp is not null)
        {
            var options = followUp.Options.Where(o => o.Id != matched?.Option.Id).ToList();
            card.AddText(matched is null ? followUp.Question.In(language) : ContextTexts.OtherOptions(language), TextStyle.Subheading);
            card.AddSubmitSet(options.Select(option => (option.Label.In(language), (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
            {
                [MenuChoices.ActionKey] = FollowUpAction,
                [TopicKey] = topic.Id,
                [OptionKey] = option.Id,
            })));
        }

        card.AddText(texts.NotBindingNote, TextStyle.Subtle);
        if (details.HasBody)
        {
            card.AddShowCard(ContextTexts.MoreAbout(language), details);
        }

        foreach (var link in topic.Links.Take(3))
        {
            card.AddOpenUrl(link.Title.In(language), link.Url);
        }

        if (alternatives is { Count: > 0 })
        {
            card.AddText(texts.ClarifyOthers, TextStyle.Subheading);
            card.AddSubmitSet(alternatives.Take(2)
                .Select(other => (other.Title.In(language), (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
                {
                    [MenuChoices.ActionKey] = TopicAction,
                    [TopicKey] = other.Id,
                }))
                .Append((texts.SomethingElse, new Dictionary<string, string>
                {
                    [MenuChoices.ActionKey] = MenuChoices.MenuAction,
                    [MenuChoices.ChoiceKey] = MenuChoice.Advisor.ToId(),
                })));
        }

        return card;
    }

    /// <summary>Builds the card of the topic without facts (the public surface for other cards and tests).</summary>
    public static AdaptiveCard Build(Topic topic, KnowledgeBase knowledge, ConversationLanguage language, string? intro, IReadOnlyList<Topic>? alternatives) =>
        Build(topic, knowledge, language, intro, alternatives, matched: null);

    /// <summary>Builds the card of the topic.</summary>
    public static AdaptiveCard Build(Topic topic, KnowledgeBase knowledge, ConversationLanguage language) =>
        Build(topic, knowledge, language, intro: null, alternatives: null, matched: null);

    /// <summary>
    /// The answer to one facet of a topic ("och vad kostar det?"): the facet's short answer or, where the
    /// knowledge base has none, who decides; then whom to contact, and the topic's links.
    /// </summary>
    internal static AdaptiveCard BuildFacet(Topic topic, Facet facet, KnowledgeBase knowledge, ConversationLanguage language)
    {
        var primary = knowledge.OrganisationsById[topic.Route[0]];
        var links = new HashSet<Uri>(topic.Links.Take(2).Select(l => l.Url));
        var card = new AdaptiveCard { Lang = language.ToIsoCode(), Speak = topic.Title.In(language) }
            .AddText($"{topic.Title.In(language)}: {ContextTexts.FacetHeading(facet, language)}", TextStyle.Heading)
            .AddText(topic.Facets.TryGetValue(facet, out var text) ? text.In(language) : ContextTexts.WhoDecides(primary.Name.In(language), language))
            .AddText(BotTexts.For(language).WhoCanHelp, TextStyle.Subheading)
            .AddText($"**{primary.Name.In(language)}**: {HowToReach(primary, language, links)}");
        foreach (var link in topic.Links.Take(2))
        {
            card.AddOpenUrl(link.Title.In(language), link.Url);
        }

        return card;
    }

    /// <summary>The organisation's first contact and its web address (left out when a button already links there).</summary>
    private static string HowToReach(Organisation organisation, ConversationLanguage language, HashSet<Uri> linked)
    {
        var parts = new List<string>();
        if (organisation.Contacts.Count > 0)
        {
            var contact = organisation.Contacts[0];
            parts.Add($"{contact.Role.In(language)}: {contact.How.In(language)}");
        }

        if (linked.Add(organisation.Web))
        {
            parts.Add($"[{organisation.Web.Host.Replace("www.", string.Empty, StringComparison.Ordinal)}]({organisation.Web})");
        }
        if (organisation.Phone is not null)
        {
            parts.Add(organisation.Phone);
        }

        if (organisation.Email is not null)
        {
            parts.Add(organisation.Email);
        }

        return string.Join(" · ", parts);
    }
}
