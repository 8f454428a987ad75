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

    /// <summary>Builds the card; <paramref name="intro"/> is an optional line above the answer, <paramref name="alternatives"/> other topics offered as buttons.</summary>
    public static AdaptiveCard Build(Topic topic, KnowledgeBase knowledge, ConversationLanguage language, string? intro = null, IReadOnlyList<Topic>? alternatives = null)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(knowledge);
        var texts = BotTexts.For(language);
        var card = new AdaptiveCard { Lang = language.ToIsoCode(), Speak = topic.Title.In(language) };
        if (intro is not null)
        {
            card.AddText(intro, TextStyle.Subtle);
        }

        card.AddText(topic.Title.In(language), TextStyle.Heading)
            .AddText(topic.Answer.In(language))
            .AddText(texts.WhoCanHelp, TextStyle.Subheading);
        foreach (var organisation in topic.Route.Select(id => knowledge.OrganisationsById[id]))
        {
            card.AddText($"**{organisation.Name.In(language)}** – {organisation.Summary.In(language)}");
            card.AddText(HowToReach(organisation, language), TextStyle.Subtle);
        }

        // Where the answer depends on a detail, the follow-up question is asked with its options as buttons.
        if (alternatives is not { Count: > 0 } && topic.FollowUps.Count > 0)
        {
            var followUp = topic.FollowUps[0];
            card.AddText(followUp.Question.In(language), TextStyle.Subheading);
            card.AddSubmitSet(followUp.Options.Select(option => (option.Label.In(language), (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
            {
                [MenuChoices.ActionKey] = FollowUpAction,
                [TopicKey] = topic.Id,
                [OptionKey] = option.Id,
            })));
        }

        card.AddText(texts.NotBindingNote, TextStyle.Subtle);
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

    private static string HowToReach(Organisation organisation, ConversationLanguage language)
    {
        var parts = new List<string>();
        if (organisation.Contacts.Count > 0)
        {
            var contact = organisation.Contacts[0];
            parts.Add($"{contact.Role.In(language)}: {contact.How.In(language)}");
        }

        parts.Add($"[{organisation.Web.Host.Replace("www.", string.Empty, StringComparison.Ordinal)}]({organisation.Web})");
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
