using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// An organisation's own card, for "what does EKN do?" or "hur når jag Almi?": what it does, how to reach it
/// and where it is in Dalarna, with a button to its own site.
/// </summary>
internal static class OrganisationCard
{
    public static AdaptiveCard Build(Organisation organisation, ConversationLanguage language)
    {
        var swedish = language == ConversationLanguage.Swedish;
        var card = new AdaptiveCard { Lang = language.ToIsoCode(), Speak = organisation.Name.In(language) }
            .AddText(organisation.Name.In(language), TextStyle.Heading)
            .AddText(organisation.Summary.In(language))
            .AddText(swedish ? "Så når du dem" : "How to reach them", TextStyle.Subheading);
        foreach (var contact in organisation.Contacts.Take(3))
        {
            card.AddText($"**{contact.Role.In(language)}**: {contact.How.In(language)}");
        }

        var direct = string.Join(" · ", new[] { organisation.Phone, organisation.Email }.OfType<string>());
        if (direct.Length > 0)
        {
            card.AddText(direct);
        }

        if (organisation.Office is { } office)
        {
            card.AddText((swedish ? "I Dalarna: " : "In Dalarna: ") + office.In(language), TextStyle.Subtle);
        }

        if (organisation.Services.Count > 0)
        {
            var services = new AdaptiveCard();
            foreach (var service in organisation.Services)
            {
                services.AddText("• " + service.In(language));
            }

            card.AddShowCard(swedish ? "Vad de hjälper till med" : "What they help with", services);
        }

        return card.AddOpenUrl(organisation.Name.In(language), organisation.Web);
    }
}
