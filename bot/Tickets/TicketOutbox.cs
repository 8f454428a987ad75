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
/// its chat messages to the company another and its emails a third, so a slow advisors' channel never holds up
/// the company's news and a refused email never holds up the chat. Every partition names its ticket, so a
/// message that is given up can be shown on the ticket it was about.
/// </summary>
public static class TicketOutbox
{
    private static readonly string[] PartitionPrefixes = ["advisors:", "company:", "email:"];

    /// <summary>Outbox partition of a ticket's messages in the advisors' channel.</summary>
    public static string AdvisorPartition(string number) => PartitionPrefixes[0] + number;

    /// <summary>Outbox partition of a ticket's messages to the company.</summary>
    public static string CompanyPartition(string number) => PartitionPrefixes[1] + number;

    /// <summary>Outbox partition of a ticket's emails (the confirmation first, then the notices, in order).</summary>
    public static string EmailPartition(string number) => PartitionPrefixes[2] + number;

    /// <summary>The ticket number a partition of this class names; null for any other partition.</summary>
    public static string? TicketNumberOf(string? partition)
    {
        foreach (var prefix in PartitionPrefixes)
        {
            if (partition is not null && partition.StartsWith(prefix, StringComparison.Ordinal) && partition.Length > prefix.Length)
            {
                return partition[prefix.Length..];
            }
        }

        return null;
    }

    /// <summary>Queues the first post of the ticket's card.</summary>
    public static void QueueCardPost(BotDbContext db, Ticket ticket, DateTimeOffset now) =>
        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorCardPost, "card-" + ticket.Number, AdvisorPartition(ticket.Number), new TicketPayload(ticket.Number), now));

    /// <summary>Queues an update of the ticket's card to its current version.</summary>
    public static void QueueCardUpdate(BotDbContext db, Ticket ticket, DateTimeOffset now) =>
        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorCardUpdate, $"card-{ticket.Number}-v{ticket.Version}", AdvisorPartition(ticket.Number), new TicketPayload(ticket.Number), now));

    /// <summary>Queues an update of the card that shows a line of its history the version did not change (a failed delivery).</summary>
    public static void QueueCardRefresh(BotDbContext db, string number, string reason, DateTimeOffset now) =>
        db.Outbox.Add(NewMessage(OutboxKinds.AdvisorCardUpdate, $"card-{number}-{reason}", AdvisorPartition(number), new TicketPayload(number), now));

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
