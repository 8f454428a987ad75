using System.Collections.Concurrent;
using System.Globalization;
using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>
/// The ticket system the conversation hands a company over to, in memory: it records every request and answers
/// with numbered receipts (EXP-TEST-00001, ...) for <see cref="OrganisationId"/>, due <see cref="DueAt"/>. Like the
/// host's ticket store, it answers a request whose handoff key it has seen with that ticket's receipt again. It lists
/// no tickets for a conversation, so a status question is answered as for a company without one.
/// </summary>
public sealed class FakeTickets : ITicketService
{
    private readonly ConcurrentQueue<HandoffRequest> _created = new();
    private readonly ConcurrentDictionary<string, TicketReceipt> _byHandoffKey = new(StringComparer.Ordinal);
    private int _sequence;

    /// <summary>The organisation every receipt names; it must exist in the knowledge base.</summary>
    public string OrganisationId { get; init; } = "region-dalarna";

    /// <summary>The deadline every receipt names (Monday 14:00 in Stockholm).</summary>
    public DateTimeOffset DueAt { get; init; } = new(2026, 11, 30, 13, 0, 0, TimeSpan.Zero);

    /// <summary>The requests received, in order (a repeat of a handoff too).</summary>
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
        if (request.HandoffKey is { } key && _byHandoffKey.TryGetValue(key, out var written))
        {
            return Task.FromResult(TicketResult.Created(written));
        }

        var number = string.Create(CultureInfo.InvariantCulture, $"EXP-TEST-{Interlocked.Increment(ref _sequence):D5}");
        var receipt = new TicketReceipt(number, OrganisationId, DueAt, DueAt.ToOffset(TimeSpan.FromHours(1)));
        if (request.HandoffKey is { } newKey)
        {
            _byHandoffKey[newKey] = receipt;
        }

        return Task.FromResult(TicketResult.Created(receipt));
    }

    public Task<IReadOnlyList<TicketSummary>> ForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<TicketSummary>>([]);
}
