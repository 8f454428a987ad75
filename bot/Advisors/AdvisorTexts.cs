using System.Globalization;
using ExportCenter.Bot.Channels;
using ExportCenter.Bot.Tickets;
using ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// What the bot says to advisors, and how it writes dates for them. The advisors' working language is
/// Swedish. (The card's labels are in <see cref="TicketCard"/>, the company's texts in CompanyNotices.)
/// </summary>
public static class AdvisorTexts
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    public const string NotAnAdvisorInTeams = "Du har inte behörighet att hantera ärenden här. Bara rådgivare i exportcentrets team kan göra det; be samordnaren lägga till dig i rådgivarkatalogen.";

    public const string SignInFirst = "Logga in som rådgivare för att hantera ärenden.";

    public const string HowToAnswerInTeams = "Svara ett företag i tråden under ärendets kort och nämn mig, eller med knappen Svara företaget.";

    public const string HowToAnswerOnPage = "Använd knapparna på ärendets kort, eller skriv ärendenumret först, t.ex. \"EXP-2026-00001 Hej! Jag ringer dig i eftermiddag.\"";

    public const string NoOpenTickets = "Inga öppna ärenden just nu.";

    public const string OnlyCoordinatorMovesChannel = "Bara en samordnare kan flytta rådgivarnas kanal.";

    public const string NoChannelMovePending = "Det finns ingen ny installation att flytta rådgivarnas kanal till.";

    public const string ChannelMoved = "Klart. Rådgivarnas kanal är nu den nya kanalen i Teams. Nya ärenden visas där, och ett öppet ärende flyttar dit nästa gång något händer i det.";

    /// <summary>The notice in the advisors' current channel that an installation elsewhere waits for a coordinator.</summary>
    public static string ChannelMovePending(string? teamName, bool inTeams)
    {
        var where = string.IsNullOrWhiteSpace(teamName) ? "en annan kanal i Teams" : $"en kanal i teamet \"{teamName}\" i Teams";
        var how = inTeams ? $"nämna mig och skriva \"{AdvisorChannelRegistry.ConfirmMoveCommand}\"" : $"skriva \"{AdvisorChannelRegistry.ConfirmMoveCommand}\"";
        return $"Någon har lagt till mig i {where}. Ärendena stannar här tills en samordnare flyttar dem dit genom att {how} här. Känner ni inte igen installationen behöver ni inte göra något.";
    }

    /// <summary>A deadline as advisors read it: "mån 30 nov 14:00".</summary>
    public static string Due(DateTimeOffset local) => local.ToString("ddd d MMM HH:mm", Swedish);

    /// <summary>A moment in the history: "27 nov 14:05".</summary>
    public static string Time(DateTimeOffset local) => local.ToString("d MMM HH:mm", Swedish);

    /// <summary>The organisation's Swedish name ("-" when there is none).</summary>
    public static string OrganisationName(KnowledgeBase knowledge, string? id) =>
        id is not null && knowledge.OrganisationsById.TryGetValue(id, out var o) ? o.Name.Sv : id ?? "-";

    /// <summary>The sentence for the advisor who acted: done, or why not.</summary>
    public static string Result(DeskResult result, KnowledgeBase knowledge)
    {
        ArgumentNullException.ThrowIfNull(result);
        var number = result.Number;
        return result.Outcome switch
        {
            DeskOutcome.Done => result.Verb switch
            {
                TicketVerb.Claim => $"Du har nu ärende {number}.",
                TicketVerb.Reassign => $"Ärende {number} är flyttat till {OrganisationName(knowledge, result.Ticket?.OrganisationId)}.",
                TicketVerb.Resolve => $"Ärende {number} är avslutat.",
                _ => $"Skickat till företaget i ärende {number}.",
            },
            DeskOutcome.NoSuchTicket => $"Det finns inget ärende {number}.",
            DeskOutcome.AlreadyResolved => $"Ärende {number} är redan avslutat.",
            DeskOutcome.AlreadyYours => $"Du har redan ärende {number}.",
            DeskOutcome.ClaimedByOther => $"{result.Holder ?? "En annan rådgivare"} har redan ärende {number}.",
            DeskOutcome.UnknownOrganisation => "Välj en organisation i listan.",
            DeskOutcome.AlreadyWithOrganisation => $"Ärende {number} ligger redan hos {OrganisationName(knowledge, result.Ticket?.OrganisationId)}.",
            DeskOutcome.NoOutcome => "Välj hur ärendet slutade.",
            DeskOutcome.EmptyReply => "Skriv ett meddelande till företaget.",
            DeskOutcome.ReplyTooLong => $"Meddelandet är för långt (högst {TicketDesk.MaxReplyChars} tecken).",
            _ => $"Ärende {number} ändrades samtidigt av någon annan. Försök igen.",
        };
    }

    /// <summary>The open tickets, most urgent first, as a short text.</summary>
    public static string Overview(IReadOnlyList<OpenTicket> open, KnowledgeBase knowledge, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.Count == 0)
        {
            return NoOpenTickets;
        }

        var lines = open.Select(t =>
            $"{t.Number}: {(t.Status == TicketStatus.Claimed ? "tas om hand" : "väntar på en rådgivare")} · {OrganisationName(knowledge, t.OrganisationId)} · kontakt senast {Due(TimeZoneInfo.ConvertTime(t.DueAt, zone))}");
        return "Öppna ärenden:\n" + string.Join("\n", lines);
    }
}
