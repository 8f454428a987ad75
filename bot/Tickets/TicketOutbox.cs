using System.Text.Json;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;

namespace ExportCenter.Bot.Tickets;

/// <summary>Outbox payload naming a ticket.</summary>
public sealed record TicketPayload(string Number);

/// <summary>Outbox payload: where a deleted ticket's card was posted.</summary>
public sealed record RedactedCardPayload(string Number, string ConversationId, string ActivityId);

/// <summary>
/// Outbox payload: a text for a ticket's thread or for the company. The text is plain; the delivery shows it as
/// written in each channel (in the advisors' channel as escaped markdown, so what a company wrote links nothing).
/// </summary>
public sealed record TicketTextPayload(string Number, string Text, bool MentionCoordinator = false, bool EscalationChannel = false);

/// <summary>
/// How the ticket lifecycle queues what must reach someone: the rows, their idempotency keys and their
/// partitions. A ticket's messages to the advisors are one partition (card first, then updates, in order),
/// its messages to the company another, so a slow advisors' channel never holds up the company's news.
/// </summary>
public static class TicketOutbox
{
    /// <summary>Outbox partition of a ticket's messages in the advisors' channel.</summary>
    public static string AdvisorPartition(string number) => "advisors:" + number;

    /// <summary>Outbox partition of a ticket's messages to the company.</summary>
    public static string CompanyPartition(string number) => "company:" + number;

    /// <summary>Queues the first post of the ticket's card.</summary>
    public static void QueueCardPost(BotDbContext db, Ticket ticket, DateTimeOffset now) =>
        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorCardPost, "card-" + ticket.Number, AdvisorPartition(ticket.Number), new TicketPayload(ticket.Number), now));

    /// <summary>Queues an update of the ticket's card to its current version.</summary>
    public static void QueueCardUpdate(BotDbContext db, Ticket ticket, DateTimeOffset now) =>
        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorCardUpdate, $"card-{ticket.Number}-v{ticket.Version}", AdvisorPartition(ticket.Number), new TicketPayload(ticket.Number), now));

    /// <summary>Queues a text in the ticket's thread in the advisors' channel.</summary>
    public static void QueueAdvisorText(BotDbContext db, string key, TicketTextPayload payload, DateTimeOffset now) =>
        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorMessage, key, AdvisorPartition(payload.Number), payload, now));

    /// <summary>Queues the replacement of a deleted ticket's card by a redacted one.</summary>
    public static void QueueRedaction(BotDbContext db, RedactedCardPayload card, DateTimeOffset now) =>
        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorCardRedact, "redact-" + card.Number, null, card, now));

    public static OutboxMessage NewMessage<T>(string kind, string key, string? partition, T payload, DateTimeOffset now) => new()
    {
        Kind = kind,
        IdempotencyKey = key,
        Partition = partition,
        Payload = JsonSerializer.Serialize(payload),
        CreatedAt = now,
        NextAttemptAt = now,
    };
}
