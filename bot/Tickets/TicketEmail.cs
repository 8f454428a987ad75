using System.Globalization;
using ExportCenter.Bot.Outbox;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Bot.Tickets;

/// <summary>The confirmation email of a ticket, in the company's preferred language: the same facts as in the chat.</summary>
public static class TicketEmail
{
    public static EmailPayload Compose(Ticket ticket, KnowledgeBase knowledge, DateTimeOffset dueLocal)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(knowledge);
        var language = ConversationLanguages.FromLocale(ticket.PreferredLanguage);
        var organisation = knowledge.OrganisationsById.TryGetValue(ticket.SuggestedOrganisationId, out var o) ? o.Name.In(language) : ticket.SuggestedOrganisationId;
        var deadline = DeadlineText.Format(dueLocal, language);
        return language == ConversationLanguage.Swedish
            ? new EmailPayload(
                ticket.Email!,
                $"Ditt ärende {ticket.Number} hos Exportcentrum Dalarna",
                string.Create(CultureInfo.InvariantCulture, $"Hej {ticket.ContactPerson}!\n\nTack för din fråga till Exportcentrum Dalarna. Ditt ärende har nummer {ticket.Number}.\n{organisation} kontaktar dig {deadline}.\n\nDin fråga: {ticket.Summary}\n\nDu kan fråga om ärendet i chatten genom att skriva \"hur går det med mitt ärende\".\n\nVänliga hälsningar\nExportcentrum Dalarna"))
            : new EmailPayload(
                ticket.Email!,
                $"Your case {ticket.Number} at the Dalarna Regional Export Centre",
                string.Create(CultureInfo.InvariantCulture, $"Hello {ticket.ContactPerson},\n\nThank you for your question to the Dalarna Regional Export Centre. Your case number is {ticket.Number}.\n{organisation} will contact you {deadline}.\n\nYour question: {ticket.Summary}\n\nYou can ask about the case in the chat by typing \"how is my case\".\n\nKind regards\nDalarna Regional Export Centre"));
    }
}
