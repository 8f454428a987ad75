namespace ExportCenter.Bot.Outbox;

/// <summary>
/// A message that must survive a crash, written in the same transaction as the change that needs it and
/// sent later by <see cref="OutboxProcessor"/>: claimed with a lease, retried with backoff, sent once. A message
/// the receiver keeps refusing is given up (<see cref="FailedAt"/>) and no longer holds its partition back.
/// </summary>
public sealed class OutboxMessage
{
    public long Id { get; set; }

    /// <summary>What to send, e.g. <see cref="OutboxKinds.TicketEmail"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The message as JSON (for an email: recipient, subject, body).</summary>
    public required string Payload { get; set; }

    /// <summary>Unique per message; the receiver can drop a repeat (the email's Message-Id).</summary>
    public required string IdempotencyKey { get; set; }

    /// <summary>
    /// Messages with the same partition are sent in the order they were written (e.g. a ticket's card
    /// before its updates); a message waits while an earlier one of its partition is unsent.
    /// </summary>
    public string? Partition { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public int Attempts { get; set; }

    /// <summary>Until when the current claim holds; another worker may take the row after that.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>The kind of the last failure (never message content or addresses).</summary>
    public string? LastError { get; set; }

    /// <summary>
    /// How many attempts the receiver answered with a permanent refusal (<see cref="OutboxPermanentFailureException"/>);
    /// at <see cref="OutboxOptions.MaxPermanentAttempts"/> the message is given up.
    /// </summary>
    public int PermanentFailures { get; set; }

    /// <summary>When the message was given up without being sent; it is never tried again.</summary>
    public DateTimeOffset? FailedAt { get; set; }
}

/// <summary>The kinds of outbox message.</summary>
public static class OutboxKinds
{
    /// <summary>The confirmation email of a new ticket.</summary>
    public const string TicketEmail = "ticket-email";

    /// <summary>Post a new ticket's card to the advisors' channel.</summary>
    public const string AdvisorCardPost = "advisor-card-post";

    /// <summary>Update a ticket's posted card for everyone to its current state.</summary>
    public const string AdvisorCardUpdate = "advisor-card-update";

    /// <summary>A message in the ticket's thread in the advisors' channel (relay, reminder, escalation).</summary>
    public const string AdvisorMessage = "advisor-message";

    /// <summary>Replace a deleted ticket's card with one that says its details were deleted.</summary>
    public const string AdvisorCardRedact = "advisor-card-redact";

    /// <summary>A message to the company in its own chat conversation.</summary>
    public const string CompanyMessage = "company-message";
}

/// <summary>An email waiting in the outbox.</summary>
public sealed record EmailPayload(string To, string Subject, string Body);
