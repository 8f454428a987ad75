using System.Globalization;
using ExportCenter.Bot.Outbox;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Bot.Tickets;

/// <summary>What the company is told about its ticket, in its language: in the chat and, when it left an email, by email.</summary>
public static class CompanyNotices
{
    /// <summary>The subject of the email when an advisor takes the case ({0}: the ticket number).</summary>
    public static readonly (string Sv, string En) ClaimedSubjects = ("Ditt ärende {0} har en rådgivare", "Your case {0} has an advisor");

    /// <summary>The subject of the email when the case is closed.</summary>
    public static readonly (string Sv, string En) ResolvedSubjects = ("Ditt ärende {0} är avslutat", "Your case {0} is closed");

    public static string Claimed(Ticket ticket, TicketActor advisor, KnowledgeBase knowledge, DateTimeOffset dueLocal)
    {
        var language = ChatLanguage(ticket);
        var organisation = OrganisationName(knowledge, advisor.OrganisationId, language);
        var deadline = DeadlineText.Format(dueLocal, language);
        return language == ConversationLanguage.Swedish
            ? $"{advisor.Name} på {organisation} har ditt ärende {ticket.Number} och kontaktar dig {deadline}. Det du skriver här i chatten når {advisor.Name} direkt."
            : $"{advisor.Name} at {organisation} has your case {ticket.Number} and will contact you {deadline}. What you write here in the chat goes straight to {advisor.Name}.";
    }

    public static string Reassigned(Ticket ticket, KnowledgeBase knowledge, DateTimeOffset dueLocal)
    {
        var language = ChatLanguage(ticket);
        var organisation = OrganisationName(knowledge, ticket.OrganisationId, language);
        var deadline = DeadlineText.Format(dueLocal, language);
        return language == ConversationLanguage.Swedish
            ? $"Ditt ärende {ticket.Number} har lämnats över till {organisation}, som kontaktar dig {deadline}."
            : $"Your case {ticket.Number} has been handed over to {organisation}, who will contact you {deadline}.";
    }

    public static string Resolved(Ticket ticket, TicketActor advisor, KnowledgeBase knowledge)
    {
        var language = ChatLanguage(ticket);
        var organisation = OrganisationName(knowledge, advisor.OrganisationId, language);
        return language == ConversationLanguage.Swedish
            ? $"{advisor.Name} på {organisation} har avslutat ditt ärende {ticket.Number} ({Outcome(ticket.Outcome, language)}). Från och med nu svarar boten igen. Har du en ny fråga är du välkommen att skriva den här."
            : $"{advisor.Name} at {organisation} has closed your case {ticket.Number} ({Outcome(ticket.Outcome, language)}). From now on the bot answers again. If you have a new question, just write it here.";
    }

    public static string Reply(TicketActor advisor, KnowledgeBase knowledge, Ticket ticket, string text)
    {
        var organisation = OrganisationName(knowledge, advisor.OrganisationId, ChatLanguage(ticket));
        return $"{advisor.Name}, {organisation}: {text}";
    }

    /// <summary>The same news by email, in the company's preferred language.</summary>
    public static EmailPayload Email(Ticket ticket, string subjectSv, string subjectEn, string chatText)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var swedish = ConversationLanguages.FromLocale(ticket.PreferredLanguage) == ConversationLanguage.Swedish;
        return swedish
            ? new EmailPayload(ticket.Email!, subjectSv, string.Create(CultureInfo.InvariantCulture, $"Hej {ticket.ContactPerson}!\n\n{chatText}\n\nVänliga hälsningar\nExportcentrum Dalarna"))
            : new EmailPayload(ticket.Email!, subjectEn, string.Create(CultureInfo.InvariantCulture, $"Hello {ticket.ContactPerson},\n\n{chatText}\n\nKind regards\nDalarna Regional Export Centre"));
    }

    /// <summary>The chat language of the ticket's conversation.</summary>
    public static ConversationLanguage ChatLanguage(Ticket ticket) => ConversationLanguages.FromLocale(ticket?.Language);

    private static string Outcome(TicketOutcome? outcome, ConversationLanguage language) => (outcome, language) switch
    {
        (TicketOutcome.Answered, ConversationLanguage.Swedish) => "frågan är besvarad",
        (TicketOutcome.Referred, ConversationLanguage.Swedish) => "du har fått kontakt med rätt organisation",
        (TicketOutcome.Unreachable, ConversationLanguage.Swedish) => "vi fick inte tag på dig; hör gärna av dig igen",
        (TicketOutcome.Answered, _) => "your question has been answered",
        (TicketOutcome.Referred, _) => "you have been referred to the right organisation",
        (TicketOutcome.Unreachable, _) => "we could not reach you; do get in touch again",
        (_, ConversationLanguage.Swedish) => "avslutat",
        _ => "closed",
    };

    /// <summary>An organisation's name in a language; the id itself when the knowledge base no longer has it.</summary>
    public static string OrganisationName(KnowledgeBase knowledge, string id, ConversationLanguage language) =>
        knowledge.OrganisationsById.TryGetValue(id, out var o) ? o.Name.In(language) : id;
}
