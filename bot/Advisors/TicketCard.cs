using System.Globalization;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// The ticket card in the advisors' channel (Adaptive Card 1.5, well under 28 KB): number, deadline and time
/// left, a warning when the ticket is flagged, the company and its contact details, topic and organisation, the question and the last messages,
/// who did what, and the actions Claim, Reassign, Resolve and Reply. In Teams the actions are
/// Action.Execute with an Action.Submit fallback; on the local advisors' page they are Action.Submit.
/// The advisors' working language is Swedish, so the card is in Swedish. Everything the company wrote is
/// escaped markdown (<see cref="MarkdownText"/>): it shows as written and never becomes a link or formatting.
/// </summary>
public static class TicketCard
{
    /// <summary>The data key with the ticket number in every action.</summary>
    public const string TicketKey = "ticket";

    public const string OrganisationInput = "organisation";
    public const string OutcomeInput = "outcome";
    public const string ReplyInput = "reply";

    public const int MaxSummaryChars = 2000;
    public const int MaxTranscriptChars = 4000;

    // Escaping at most triples a text ("//" becomes "\[//\]"), so every stored field (at most 254 characters) fits whole.
    private const int MaxFieldChars = 800;
    public const int MaxReplyChars = TicketDesk.MaxReplyChars;
    private const int MaxHistoryLines = 12;

    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");

    /// <summary>The verbs of the card's actions.</summary>
    public static class Verbs
    {
        public const string Claim = "claim";
        public const string Reassign = "reassign";
        public const string Resolve = "resolve";
        public const string Reply = "reply";

        public static bool IsKnown(string? verb) => verb is Claim or Reassign or Resolve or Reply;

        /// <summary>The desk's verb of a card verb (which <see cref="IsKnown"/> accepted).</summary>
        public static TicketVerb ToVerb(string verb) => verb switch
        {
            Claim => TicketVerb.Claim,
            Reassign => TicketVerb.Reassign,
            Resolve => TicketVerb.Resolve,
            Reply => TicketVerb.Reply,
            _ => throw new ArgumentOutOfRangeException(nameof(verb), verb, "Not a verb of the ticket card."),
        };
    }

    public static JsonObject Render(Ticket ticket, IReadOnlyList<TicketHistoryLine> history, KnowledgeBase knowledge, TimeZoneInfo zone, DateTimeOffset now, ActionStyle style)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(knowledge);
        var card = new AdaptiveCard { Lang = "sv", Speak = $"Ärende {ticket.Number}" };
        card.AddText($"Ärende {ticket.Number}", TextStyle.Heading);
        card.AddText(StatusLine(ticket, history, knowledge, zone, now), TextStyle.Subheading);
        if (history.FirstOrDefault(h => h.Action == TicketAction.Flagged) is { } flagged)
        {
            card.AddText($"Obs! Flaggat: {FlagReason(flagged.Detail)}. Kontrollera att företaget finns innan ni svarar.", TextStyle.Subheading);
        }

        var topic = ticket.TopicId is not null && knowledge.TopicsById.TryGetValue(ticket.TopicId, out var t) ? t.Title.Sv : "Okänt ämne";
        card.AddFacts(
        [
            ("Företag", Written(ticket.CompanyName)),
            ("Organisationsnummer", Written(ticket.OrganisationNumber)),
            ("Kontaktperson", Written(ticket.ContactPerson)),
            ("E-post", Written(ticket.Email)),
            ("Telefon", Written(ticket.Phone)),
            ("Kommun", Written(ticket.Municipality)),
            ("Ämne", topic + string.Create(Swedish, $" (säkerhet {ticket.Confidence:P0})")),
            ("Föreslagen organisation", OrganisationName(knowledge, ticket.SuggestedOrganisationId)),
            ("Har ärendet", ticket.AssignedOrganisationId is null ? null : OrganisationName(knowledge, ticket.AssignedOrganisationId)),
            ("Vill bli kontaktad på", ticket.PreferredLanguage == "en" ? "engelska" : "svenska"),
            ("Chattens språk", ticket.Language == "en" ? "engelska" : "svenska"),
        ]);

        card.AddText("Frågan", TextStyle.Subheading);
        card.AddText(Written(ticket.Summary, MaxSummaryChars) ?? "(ingen sammanfattning)");
        if (!string.IsNullOrWhiteSpace(ticket.TranscriptExcerpt))
        {
            card.AddText("Senaste meddelandena", TextStyle.Subheading);
            card.AddText(Written(ticket.TranscriptExcerpt, MaxTranscriptChars)!, TextStyle.Subtle);
        }

        if (history.Count > 0)
        {
            card.AddText("Historik", TextStyle.Subheading);
            foreach (var line in history.TakeLast(MaxHistoryLines))
            {
                card.AddText(HistoryText(line, knowledge, zone), TextStyle.Subtle);
            }
        }

        if (ticket.Status != TicketStatus.Resolved)
        {
            card.AddActionSet(Actions(ticket, knowledge, style));
        }

        return card.ToJsonObject();
    }

    private static IEnumerable<CardButton> Actions(Ticket ticket, KnowledgeBase knowledge, ActionStyle style)
    {
        var data = new Dictionary<string, string> { [TicketKey] = ticket.Number };
        if (ticket.Status == TicketStatus.Open)
        {
            yield return new CardSubmit("Ta ärendet", Verbs.Claim, data, style);
        }

        var organisations = knowledge.Organisations
            .OrderBy(o => o.Kind)
            .Select(o => (o.Name.Sv, o.Id))
            .ToList();
        yield return new CardForm(
            "Flytta till organisation",
            [new CardChoiceInput(OrganisationInput, "Vilken organisation ska ta ärendet?", organisations, ticket.OrganisationId)],
            new CardSubmit("Flytta", Verbs.Reassign, data, style));
        yield return new CardForm(
            "Avsluta",
            [new CardChoiceInput(OutcomeInput, "Hur slutade ärendet?", [("Besvarat", "answered"), ("Hänvisat till en organisation", "referred"), ("Fick inte tag på företaget", "unreachable")], "answered")],
            new CardSubmit("Avsluta ärendet", Verbs.Resolve, data, style));
        yield return new CardForm(
            "Svara företaget",
            [new CardTextInput(ReplyInput, "Meddelande till företaget", MaxReplyChars)],
            new CardSubmit("Skicka", Verbs.Reply, data, style));
    }

    /// <summary>The card that replaces a deleted ticket's card: only the number, and why the details are gone.</summary>
    public static JsonObject Redacted(string number) => new AdaptiveCard { Lang = "sv" }
        .AddText($"Ärende {number}", TextStyle.Heading)
        .AddText("Ärendet är avslutat och företagets uppgifter är raderade enligt exportcentrets gallringsregler.", TextStyle.Subtle)
        .ToJsonObject();

    private static string StatusLine(Ticket ticket, IReadOnlyList<TicketHistoryLine> history, KnowledgeBase knowledge, TimeZoneInfo zone, DateTimeOffset now)
    {
        var due = AdvisorTexts.Due(TimeZoneInfo.ConvertTime(ticket.DueAt, zone));
        switch (ticket.Status)
        {
            case TicketStatus.Resolved:
                var resolved = history.LastOrDefault(h => h.Action == TicketAction.Resolved);
                return $"Avslutat {Time(ticket.ResolvedAt ?? now, zone)} av {Who(resolved, knowledge)}: {OutcomeText(ticket.Outcome)}";
            case TicketStatus.Claimed:
                var claimed = history.LastOrDefault(h => h.Action == TicketAction.Claimed);
                return $"{Who(claimed, knowledge)} har ärendet sedan {Time(ticket.ClaimedAt ?? now, zone)} · kontakt senast {due}";
            default:
                var left = ticket.DueAt - now;
                return left > TimeSpan.Zero
                    ? $"Väntar på en rådgivare · kontakt senast {due} ({Duration(left)} kvar)"
                    : $"Väntar på en rådgivare · DEADLINE PASSERAD {due}";
        }
    }

    internal static string HistoryText(TicketHistoryLine line, KnowledgeBase knowledge, TimeZoneInfo zone)
    {
        var what = line.Action switch
        {
            TicketAction.Created => "skapat av boten",
            TicketAction.Claimed => "tog ärendet",
            TicketAction.Reassigned => "flyttade ärendet till " + OrganisationName(knowledge, line.Detail),
            TicketAction.Resolved => "avslutade: " + OutcomeText(Enum.TryParse<TicketOutcome>(line.Detail, true, out var o) ? o : null),
            TicketAction.Replied => "svarade företaget",
            TicketAction.Reminded => "påminnelse: ingen har tagit ärendet",
            TicketAction.Escalated => "deadline passerad, eskalerat till samordnaren",
            TicketAction.Flagged => "flaggat: " + FlagReason(line.Detail),
            TicketAction.PossibleDuplicate => "kortet kan finnas två gånger i kanalen efter ett avbrott; det här kortet är det som uppdateras",
            TicketAction.DeliveryFailed => FailureText(DeliveryFailure.Parse(line.Detail)),
            _ => TicketEventNames.Name(line.Action),
        };
        var who = line.AdvisorName is null ? string.Empty : Who(line, knowledge) + " ";
        return $"{Time(line.At, zone)} {who}{what}";
    }

    private static string Who(TicketHistoryLine? line, KnowledgeBase knowledge) => line?.AdvisorName is null
        ? "en rådgivare"
        : $"{line.AdvisorName} ({OrganisationName(knowledge, line.AdvisorOrganisationId)})";

    internal static string OrganisationName(KnowledgeBase knowledge, string? id) =>
        id is not null && knowledge.OrganisationsById.TryGetValue(id, out var o) ? o.Name.Sv : id ?? "-";

    /// <summary>Why a ticket was flagged, as the advisors read it.</summary>
    private static string FlagReason(string? detail) => detail switch
    {
        FlagDetails.SameEmail => "många ärenden med samma e-postadress på kort tid",
        _ => "ovanligt ärende",
    };

    /// <summary>What could not be sent, as the advisors read it, with the receiver's reason ("HTTP 403", "SMTP 550").</summary>
    private static string FailureText(DeliveryFailure failure)
    {
        var what = failure.Kind switch
        {
            Outbox.OutboxKinds.AdvisorCardPost => "kortet kunde inte skickas till rådgivarnas kanal",
            Outbox.OutboxKinds.AdvisorCardUpdate => "kortet kunde inte uppdateras i rådgivarnas kanal",
            Outbox.OutboxKinds.AdvisorMessage => "ett meddelande kunde inte skickas till ärendets tråd",
            Outbox.OutboxKinds.CompanyMessage => "meddelandet till företaget i chatten kunde inte skickas",
            Outbox.OutboxKinds.TicketEmail => "mejlet till företaget kunde inte skickas",
            _ => "ett meddelande om ärendet kunde inte skickas",
        };
        return failure.Reason.Length == 0 ? what : $"{what} ({failure.Reason})";
    }

    private static string OutcomeText(TicketOutcome? outcome) => outcome switch
    {
        TicketOutcome.Answered => "besvarat",
        TicketOutcome.Referred => "hänvisat till en organisation",
        TicketOutcome.Unreachable => "fick inte tag på företaget",
        _ => "avslutat",
    };

    private static string Time(DateTimeOffset at, TimeZoneInfo zone) => AdvisorTexts.Time(TimeZoneInfo.ConvertTime(at, zone));

    private static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? string.Create(Swedish, $"{(int)span.TotalHours} h {span.Minutes} min")
        : string.Create(Swedish, $"{Math.Max(1, span.Minutes)} min");

    /// <summary>
    /// What the company wrote, as markdown that shows it as written and links nothing (<see cref="MarkdownText"/>);
    /// null when it wrote nothing. Long texts are cut, so the card stays within Teams' size limit.
    /// </summary>
    private static string? Written(string? text, int max = MaxFieldChars) =>
        string.IsNullOrWhiteSpace(text) ? null : MarkdownText.Escape(text, max);
}
