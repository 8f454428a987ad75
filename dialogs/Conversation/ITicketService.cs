using Microsoft.Bot.Schema;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// A request for an advisor, as handed to the ticket system, with the reference the host needs to write
/// to the company's conversation again (the advisor's replies).
/// </summary>
public sealed record HandoffRequest(
    HandoffState Details,
    string ConversationLanguage,
    string ChannelId,
    string ConversationId,
    ConversationReference ConversationReference,
    string TranscriptExcerpt);

/// <summary>The ticket the company is told about.</summary>
public sealed record TicketReceipt(string Number, string OrganisationId, DateTimeOffset DueAt, DateTimeOffset DueLocal);

/// <summary>Creates tickets and tells how they are doing. Implemented by the host, which owns the database.</summary>
public interface ITicketService
{
    /// <summary>Writes the ticket durably and returns its number and deadline; throws when it could not be written.</summary>
    Task<TicketReceipt> CreateAsync(HandoffRequest request, CancellationToken cancellationToken);

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
