using Microsoft.Bot.Schema;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// A request for an advisor, as handed to the ticket system, with the reference the host needs to write
/// to the company's conversation again (the advisor's replies) and, when the channel knows it, the opaque
/// key of the client address it came from (<see cref="TurnClient"/>; never the address itself), and the handoff's
/// idempotency key (<see cref="HandoffState.HandoffKey"/>): every attempt of one handoff carries the same one, so
/// a turn repeated after a crash gets the ticket its first attempt wrote instead of a second ticket.
/// </summary>
public sealed record HandoffRequest(
    HandoffState Details,
    string ConversationLanguage,
    string ChannelId,
    string ConversationId,
    ConversationReference ConversationReference,
    string TranscriptExcerpt,
    string? ClientKey = null,
    string? HandoffKey = null);

/// <summary>The ticket the company is told about.</summary>
public sealed record TicketReceipt(string Number, string OrganisationId, DateTimeOffset DueAt, DateTimeOffset DueLocal);

/// <summary>What the ticket system made of a request: the ticket, or none because a limit on new tickets was reached.</summary>
public sealed record TicketResult
{
    private TicketResult(TicketReceipt? receipt) => Receipt = receipt;

    /// <summary>No ticket was made: too many tickets came from the same client address or email address.</summary>
    public static TicketResult LimitReached { get; } = new(receipt: null);

    /// <summary>The ticket that was written; null when a limit was reached.</summary>
    public TicketReceipt? Receipt { get; }

    /// <summary>A ticket was written (by this request, or by an earlier attempt of the same handoff).</summary>
    public static TicketResult Created(TicketReceipt receipt) => new(receipt ?? throw new ArgumentNullException(nameof(receipt)));
}

/// <summary>Creates tickets and tells how they are doing. Implemented by the host, which owns the database.</summary>
public interface ITicketService
{
    /// <summary>
    /// Writes the ticket durably and returns its number and deadline, or <see cref="TicketResult.LimitReached"/>
    /// without writing anything; throws when it could not be written. A request whose
    /// <see cref="HandoffRequest.HandoffKey"/> already made a ticket writes nothing (no ticket, no card, no email)
    /// and gets that ticket's receipt again: same number, same deadline.
    /// </summary>
    Task<TicketResult> CreateAsync(HandoffRequest request, CancellationToken cancellationToken);

    /// <summary>The tickets of a conversation, newest first.</summary>
    Task<IReadOnlyList<TicketSummary>> ForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken);
}

/// <summary>What the company may see of its ticket.</summary>
public sealed record TicketSummary(string Number, TicketState Status, string OrganisationId, DateTimeOffset DueLocal);

/// <summary>How far a ticket has come, as the company is told.</summary>
public enum TicketState
{
    /// <summary>Received, waiting for an advisor.</summary>
    Open,

    /// <summary>An advisor has taken the ticket.</summary>
    Claimed,

    /// <summary>The ticket is closed.</summary>
    Resolved,
}
