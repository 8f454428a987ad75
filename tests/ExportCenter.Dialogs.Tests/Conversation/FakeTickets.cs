using System.Collections.Concurrent;
using System.Globalization;
using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>
/// The ticket system the conversation hands a company over to, in memory: it records every request and answers
/// with numbered receipts (EXP-TEST-00001, ...) for <see cref="OrganisationId"/>, due <see cref="DueAt"/>. It lists
/// no tickets for a conversation, so a status question is answered as for a company without one.
/// </summary>
public sealed class FakeTickets : ITicketService
{
    private readonly ConcurrentQueue<HandoffRequest> _created = new();
    private int _sequence;

    /// <summary>The organisation every receipt names; it must exist in the knowledge base.</summary>
    public string OrganisationId { get; init; } = "region-dalarna";

    /// <summary>The deadline every receipt names (Monday 14:00 in Stockholm).</summary>
    public DateTimeOffset DueAt { get; init; } = new(2026, 11, 30, 13, 0, 0, TimeSpan.Zero);

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyCollection<HandoffRequest> Created => _created;

    /// <summary>When true, every request meets a reached limit: nothing is recorded and no receipt is given.</summary>
    public bool LimitReached { get; init; }

    public Task<TicketResult> CreateAsync(HandoffRequest request, CancellationToken cancellationToken)
    {
        if (LimitReached)
        {
            return Task.FromResult(TicketResult.LimitReached);
        }

        _created.Enqueue(request);
        var number = string.Create(CultureInfo.InvariantCulture, $"EXP-TEST-{Interlocked.Increment(ref _sequence):D5}");
        return Task.FromResult(TicketResult.Created(new TicketReceipt(number, OrganisationId, DueAt, DueAt.ToOffset(TimeSpan.FromHours(1)))));
    }

    public Task<IReadOnlyList<TicketSummary>> ForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TicketSummary>>([]);
}
