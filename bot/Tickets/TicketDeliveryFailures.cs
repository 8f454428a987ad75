using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Tickets;

/// <summary>
/// Shows a given-up outbox message on the ticket it was about: a <see cref="TicketAction.DeliveryFailed"/> line in its
/// history, written in the transaction that marks the row failed. When the message was for the company (its chat or
/// email), the card is also queued for an update, so the advisors see at once that the company was not told; a failed
/// message in the advisors' own partition shows on the card the next time it is posted or updated (queueing an update
/// there could only fail the same way again).
/// </summary>
public sealed class TicketDeliveryFailures : IOutboxFailureRecorder
{
    public async Task RecordAsync(BotDbContext db, OutboxMessage message, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(message);
        if (TicketOutbox.TicketNumberOf(message.Partition) is not { } number
            || await db.Tickets.Where(t => t.Number == number).Select(t => (long?)t.Id).SingleOrDefaultAsync(cancellationToken) is not { } ticketId)
        {
            return; // Not a ticket's message, or the ticket is gone.
        }

        db.TicketEvents.Add(new TicketEvent
        {
            TicketId = ticketId,
            At = at,
            Action = TicketAction.DeliveryFailed,
            Source = TicketSource.Delivery,
            Detail = new DeliveryFailure(message.Kind, reason).ToDetail(),
        });
        if (message.Partition != TicketOutbox.AdvisorPartition(number))
        {
            TicketOutbox.QueueCardRefresh(db, number, "failed-" + message.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), at);
        }
    }
}
