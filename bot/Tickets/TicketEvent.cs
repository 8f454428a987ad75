namespace ExportCenter.Bot.Tickets;

/// <summary>One line of a ticket's audit trail: who did what and when. No message text or contact details.</summary>
public sealed class TicketEvent
{
    public long Id { get; set; }

    public long TicketId { get; set; }

    public DateTimeOffset At { get; set; }

    public TicketAction Action { get; set; }

    public long? AdvisorId { get; set; }

    public TicketSource Source { get; set; }

    /// <summary>A short detail such as the new organisation or the outcome.</summary>
    public string? Detail { get; set; }
}

/// <summary>What happened to a ticket. Stored as the lower-case words of <see cref="TicketEventNames"/>.</summary>
public enum TicketAction
{
    Created,
    Claimed,
    Reassigned,
    Resolved,
    Replied,
    Relayed,
    Reminded,
    Escalated,
    Refused,

    /// <summary>Many tickets with the same email address in a short time: the advisors should check before they answer.</summary>
    Flagged,

    /// <summary>
    /// The card was posted again after a post whose answer was never recorded (a crash or timeout in between), so the
    /// channel may show it twice; the card posted now is the one that is updated.
    /// </summary>
    PossibleDuplicate,

    /// <summary>A message about the ticket was given up (the detail names which and why, see <see cref="DeliveryFailure"/>).</summary>
    DeliveryFailed,
}

/// <summary>
/// The detail of a <see cref="TicketAction.DeliveryFailed"/> line: the outbox kind of the message and the receiver's reason
/// ("advisor-card-post HTTP 403", "ticket-email SMTP 550"). Neither holds message text or addresses.
/// </summary>
public sealed record DeliveryFailure(string Kind, string Reason)
{
    public string ToDetail()
    {
        var detail = Kind + " " + Reason;
        return detail.Length <= 256 ? detail : detail[..256];
    }

    public static DeliveryFailure Parse(string? detail)
    {
        var space = detail?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        return space > 0 ? new DeliveryFailure(detail![..space], detail[(space + 1)..]) : new DeliveryFailure(detail ?? string.Empty, string.Empty);
    }
}

/// <summary>The details of a <see cref="TicketAction.Flagged"/> line: why the ticket was flagged.</summary>
public static class FlagDetails
{
    /// <summary>Many tickets with the same email address in a short time.</summary>
    public const string SameEmail = "same-email";
}

/// <summary>Where an action on a ticket came from.</summary>
public enum TicketSource
{
    /// <summary>The company, in its own chat.</summary>
    Company,

    /// <summary>An advisor in the Teams channel.</summary>
    Teams,

    /// <summary>An advisor on the local advisors' page.</summary>
    AdvisorsPage,

    /// <summary>The SLA monitor.</summary>
    Sla,

    /// <summary>The outbox's delivery of the ticket's messages.</summary>
    Delivery,
}

/// <summary>
/// The words the audit table stores for actions and sources. They are the table's contract (reports and the
/// rows written before these enums existed read them), so they never change with a renamed enum member.
/// </summary>
public static class TicketEventNames
{
    private static readonly Dictionary<TicketAction, string> Actions = new()
    {
        [TicketAction.Created] = "created",
        [TicketAction.Claimed] = "claimed",
        [TicketAction.Reassigned] = "reassigned",
        [TicketAction.Resolved] = "resolved",
        [TicketAction.Replied] = "replied",
        [TicketAction.Relayed] = "relayed",
        [TicketAction.Reminded] = "reminded",
        [TicketAction.Escalated] = "escalated",
        [TicketAction.Refused] = "refused",
        [TicketAction.Flagged] = "flagged",
        [TicketAction.PossibleDuplicate] = "possible-duplicate",
        [TicketAction.DeliveryFailed] = "delivery-failed",
    };

    private static readonly Dictionary<TicketSource, string> Sources = new()
    {
        [TicketSource.Company] = "company",
        [TicketSource.Teams] = "teams",
        [TicketSource.AdvisorsPage] = "advisors-page",
        [TicketSource.Sla] = "sla",
        [TicketSource.Delivery] = "delivery",
    };

    private static readonly Dictionary<string, TicketAction> ActionsByName = Actions.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    private static readonly Dictionary<string, TicketSource> SourcesByName = Sources.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string Name(TicketAction action) => Actions[action];

    public static string Name(TicketSource source) => Sources[source];

    public static TicketAction ParseAction(string name) =>
        ActionsByName.TryGetValue(name, out var action) ? action : throw new FormatException($"Unknown ticket action '{name}' in the audit table.");

    public static TicketSource ParseSource(string name) =>
        SourcesByName.TryGetValue(name, out var source) ? source : throw new FormatException($"Unknown ticket event source '{name}' in the audit table.");
}
