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
