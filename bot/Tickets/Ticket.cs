namespace ExportCenter.Bot.Tickets;

/// <summary>A company's request for an advisor, with the deadline it was promised.</summary>
public sealed class Ticket
{
    public long Id { get; set; }

    /// <summary>Human-friendly number, e.g. EXP-2026-00042 (year and a per-year sequence from the database).</summary>
    public required string Number { get; set; }

    public TicketStatus Status { get; set; } = TicketStatus.Open;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The promised contact deadline, UTC.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>When the ticket was resolved (retention counts from here).</summary>
    public DateTimeOffset? ResolvedAt { get; set; }

    public string? TopicId { get; set; }

    /// <summary>The organisation suggested to take the case (the topic's primary organisation).</summary>
    public required string SuggestedOrganisationId { get; set; }

    /// <summary>Language of the conversation ("sv" or "en").</summary>
    public required string Language { get; set; }

    public float Confidence { get; set; }

    public required string CompanyName { get; set; }

    public string? OrganisationNumber { get; set; }

    public required string ContactPerson { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public required string Municipality { get; set; }

    public required string PreferredLanguage { get; set; }

    public required string Summary { get; set; }

    public required string ChannelId { get; set; }

    public required string ConversationId { get; set; }

    /// <summary>The conversation reference (JSON) for telling the company about its case later.</summary>
    public required string ConversationReference { get; set; }

    /// <summary>The last messages of the conversation, for the advisor.</summary>
    public required string TranscriptExcerpt { get; set; }

    /// <summary>
    /// The opaque key of the client address the ticket came from (a keyed hash made by the channel, never the
    /// address), for the limit on tickets per client; null when the channel does not know the address.
    /// </summary>
    public string? ClientKey { get; set; }

    /// <summary>
    /// The idempotency key of the handoff that made the ticket (unique): a repeat of the turn that wrote it, after a crash
    /// lost the company's confirmation, finds this ticket instead of making a second one. Null for tickets made before
    /// handoffs had keys.
    /// </summary>
    public string? HandoffKey { get; set; }

    /// <summary>The organisation that has the case now (the suggested one until an advisor reassigns it).</summary>
    public string? AssignedOrganisationId { get; set; }

    /// <summary>When the SLA monitor reminds the advisors of an unclaimed ticket (a share of the counted time to the deadline).</summary>
    public DateTimeOffset? ReminderDueAt { get; set; }

    public DateTimeOffset? ClaimedAt { get; set; }

    /// <summary>The advisor who has the case (from the advisors' directory).</summary>
    public long? ClaimedByAdvisorId { get; set; }

    public long? ResolvedByAdvisorId { get; set; }

    public TicketOutcome? Outcome { get; set; }

    /// <summary>When the reminder was queued (once).</summary>
    public DateTimeOffset? RemindedAt { get; set; }

    /// <summary>When the unclaimed ticket passed its deadline and was escalated (once).</summary>
    public DateTimeOffset? BreachedAt { get; set; }

    /// <summary>The SLA monitor's claim on this ticket while it works on it.</summary>
    public DateTimeOffset? SlaLeaseUntil { get; set; }

    public string? SlaLeaseOwner { get; set; }

    /// <summary>The advisors' conversation the ticket's card was posted in (in Teams: the thread, <c>19:…;messageid=…</c>).</summary>
    public string? AdvisorConversationId { get; set; }

    /// <summary>The id of the posted card, for updating it.</summary>
    public string? AdvisorActivityId { get; set; }

    /// <summary>
    /// When a post of the card was started whose answer is not recorded yet: committed before the request goes out and
    /// cleared in the commit that stores <see cref="AdvisorActivityId"/>, or when the channel answers with an error. Still
    /// set at the next attempt, it means the channel may hold a card the bot does not know (a crash or timeout between
    /// the request and that commit), and the next post is counted as a possible duplicate.
    /// </summary>
    public DateTimeOffset? AdvisorPostStartedAt { get; set; }

    /// <summary>Bumped on every change an advisor makes; stale card actions are detected with it.</summary>
    public int Version { get; set; }

    /// <summary>The organisation that has the case now.</summary>
    public string OrganisationId => AssignedOrganisationId ?? SuggestedOrganisationId;

    /// <summary>Whether an advisor has the case and the chat is relayed.</summary>
    public bool IsLive => Status == TicketStatus.Claimed;
}

/// <summary>How a ticket ended.</summary>
public enum TicketOutcome
{
    /// <summary>The advisor answered the company's question.</summary>
    Answered,

    /// <summary>The company was referred to an organisation.</summary>
    Referred,

    /// <summary>The company could not be reached.</summary>
    Unreachable,
}

/// <summary>Where a ticket stands.</summary>
public enum TicketStatus
{
    Open,
    Claimed,
    Resolved,
}

/// <summary>The last ticket number handed out in a year.</summary>
public sealed class TicketCounter
{
    public int Year { get; set; }

    public int Last { get; set; }
}
