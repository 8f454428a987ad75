using System.Globalization;
using ExportCenter.Bot.Outbox;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Bot.Tickets;

/// <summary>
/// The confirmation email of a ticket, in the company's preferred language: the ticket number, the organisation,
/// the deadline and fixed wording. It repeats nothing the company wrote (no name, no question): the address was
/// typed in an open chat and is not verified, so the email must say nothing someone could send to a stranger.
/// </summary>
public static class TicketEmail
{
    /// <summary>The start of a confirmation email's outbox key (the ticket number follows).</summary>
    public const string IdempotencyPrefix = "ticket-email-";

    /// <summary>The outbox key of a ticket's confirmation email.</summary>
    public static string IdempotencyKey(Ticket ticket) => IdempotencyPrefix + (ticket ?? throw new ArgumentNullException(nameof(ticket))).Number;

    public static EmailPayload Compose(Ticket ticket, KnowledgeBase knowledge, DateTimeOffset dueLocal)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(knowledge);
        var language = ConversationLanguages.FromLocale(ticket.PreferredLanguage);
        var organisation = CompanyNotices.OrganisationName(knowledge, ticket.SuggestedOrganisationId, language);
        var deadline = DeadlineText.Format(dueLocal, language);
        return language == ConversationLanguage.Swedish
            ? new EmailPayload(
                ticket.Email!,
                $"Ditt ärende {ticket.Number} hos Exportcentrum Dalarna",
                string.Create(CultureInfo.InvariantCulture, $"Hej!\n\nTack för din fråga till Exportcentrum Dalarna. Ditt ärende har nummer {ticket.Number}.\n{organisation} kontaktar dig {deadline}.\n\nDu kan fråga om ärendet i chatten genom att skriva \"hur går det med mitt ärende\".\n\nHar du inte skrivit till oss? Då kan du bortse från det här mejlet.\n\nVänliga hälsningar\nExportcentrum Dalarna"))
            : new EmailPayload(
                ticket.Email!,
                $"Your case {ticket.Number} at the Dalarna Regional Export Centre",
                string.Create(CultureInfo.InvariantCulture, $"Hello,\n\nThank you for your question to the Dalarna Regional Export Centre. Your case number is {ticket.Number}.\n{organisation} will contact you {deadline}.\n\nYou can ask about the case in the chat by typing \"how is my case\".\n\nIf you did not write to us, you can ignore this email.\n\nKind regards\nDalarna Regional Export Centre"));
    }
}
