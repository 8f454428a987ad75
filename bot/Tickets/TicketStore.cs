using System.Globalization;
using System.Text.Json;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Tickets;

/// <summary>
/// Writes tickets. The number comes from the database (a per-year counter incremented inside the same
/// transaction), never from memory, so numbers stay unique across restarts and instances. The ticket is
/// committed before anything is returned, so the company is only ever told about a ticket that exists.
/// </summary>
public sealed class TicketStore(IDbContextFactory<BotDbContext> dbFactory, TicketDeadlinePolicy deadlines, KnowledgeBase knowledge, IOptions<SlaOptions> sla, OutboxSignal outboxSignal, TimeProvider time) : ITicketService
{
    private const int MaxAttempts = 5;

    public async Task<TicketReceipt> CreateAsync(HandoffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var d = request.Details;
        var now = time.GetUtcNow();
        var due = deadlines.DeadlineFor(now);
        var organisation = d.TopicId is not null && knowledge.TopicsById.TryGetValue(d.TopicId, out var topic)
            ? topic.Route[0]
            : "region-dalarna";
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var year = deadlines.ToLocal(now).Year;
                var sequence = await NextNumberAsync(db, year, cancellationToken);
                var ticket = new Ticket
                {
                    Number = string.Create(CultureInfo.InvariantCulture, $"EXP-{year}-{sequence:D5}"),
                    CreatedAt = now,
                    DueAt = due,
                    ReminderDueAt = deadlines.ShareOfResponseTime(now, sla.Value.ReminderShare),
                    TopicId = d.TopicId,
                    SuggestedOrganisationId = organisation,
                    Language = request.ConversationLanguage,
                    Confidence = d.Confidence,
                    CompanyName = d.Company ?? string.Empty,
                    OrganisationNumber = d.OrganisationNumber,
                    ContactPerson = d.ContactPerson ?? string.Empty,
                    Email = d.Email,
                    Phone = d.Phone,
                    Municipality = d.Municipality ?? string.Empty,
                    PreferredLanguage = d.PreferredLanguage ?? request.ConversationLanguage,
                    Summary = d.Summary ?? string.Empty,
                    ChannelId = request.ChannelId,
                    ConversationId = request.ConversationId,
                    // Newtonsoft, as the Bot Schema's attributes expect; the advisors' relay reads it back the same way.
                    ConversationReference = Newtonsoft.Json.JsonConvert.SerializeObject(request.ConversationReference),
                    TranscriptExcerpt = request.TranscriptExcerpt,
                };
                db.Tickets.Add(ticket);
                if (d.Consent == true && !string.IsNullOrWhiteSpace(d.Email))
                {
                    // The confirmation email rides in the same transaction: no ticket without it, no email without the ticket.
                    db.Outbox.Add(new OutboxMessage
                    {
                        Kind = OutboxKinds.TicketEmail,
                        IdempotencyKey = "ticket-email-" + ticket.Number,
                        Payload = JsonSerializer.Serialize(TicketEmail.Compose(ticket, knowledge, deadlines.ToLocal(due))),
                        CreatedAt = now,
                        NextAttemptAt = now,
                    });
                }

                // The advisors see the ticket through the outbox too: the card is posted even if the channel is down now.
                TicketOutbox.QueueCardPost(db, ticket, now);
                await db.SaveChangesAsync(cancellationToken);
                db.TicketEvents.Add(new TicketEvent { TicketId = ticket.Id, At = now, Action = TicketAction.Created, Source = TicketSource.Company });
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                outboxSignal.Pulse();
                return new TicketReceipt(ticket.Number, organisation, due, deadlines.ToLocal(due));
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Two instances created the year's first counter row at once; the loser tries again.
            }
        }
    }

    /// <summary>Tickets of a conversation, newest first (for "how is my case doing?").</summary>
    public async Task<IReadOnlyList<TicketSummary>> ForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tickets = await db.Tickets.AsNoTracking()
            .Where(t => t.ChannelId == channelId && t.ConversationId == conversationId)
            .OrderByDescending(t => t.Id)
            .Select(t => new { t.Number, t.Status, Organisation = t.AssignedOrganisationId ?? t.SuggestedOrganisationId, t.DueAt })
            .ToListAsync(cancellationToken);
        return [.. tickets.Select(t => new TicketSummary(t.Number, ToState(t.Status), t.Organisation, deadlines.ToLocal(t.DueAt)))];
    }

    /// <summary>The company's view of a ticket's status (the dialogs' contract has its own enum).</summary>
    private static TicketState ToState(TicketStatus status) => status switch
    {
        TicketStatus.Open => TicketState.Open,
        TicketStatus.Claimed => TicketState.Claimed,
        TicketStatus.Resolved => TicketState.Resolved,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A ticket status the company's view does not know."),
    };

    private static async Task<int> NextNumberAsync(BotDbContext db, int year, CancellationToken cancellationToken)
    {
        var changed = await db.TicketCounters.Where(c => c.Year == year)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Last, c => c.Last + 1), cancellationToken);
        if (changed == 0)
        {
            db.TicketCounters.Add(new TicketCounter { Year = year, Last = 1 });
            await db.SaveChangesAsync(cancellationToken);
            return 1;
        }

        return await db.TicketCounters.Where(c => c.Year == year).Select(c => c.Last).SingleAsync(cancellationToken);
    }
}
