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

        card.AddText(texts.NotBindingNote, TextStyle.Subtle);
        foreach (var link in topic.Links.Take(3))
        {
            card.AddOpenUrl(link.Title.In(language), link.Url);
        }

        if (alternatives is { Count: > 0 })
        {
            card.AddText(texts.ClarifyOthers, TextStyle.Subheading);
            foreach (var other in alternatives.Take(2))
            {
                card.AddSubmit(other.Title.In(language), new Dictionary<string, string>
                {
                    [MenuChoices.ActionKey] = TopicAction,
                    [TopicKey] = other.Id,
                });
            }

            card.AddSubmit(texts.SomethingElse, new Dictionary<string, string>
            {
                [MenuChoices.ActionKey] = MenuChoices.MenuAction,
                [MenuChoices.ChoiceKey] = MenuChoice.Advisor.ToId(),
            });
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
