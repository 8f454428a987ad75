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
/// The limits on new tickets (<see cref="TicketLimitPolicy"/>) are checked in the same transaction.
/// A handoff writes one ticket however often its last turn runs: a request with a handoff key that already made a
/// ticket gets that ticket's receipt and writes nothing, and the unique index on the key stops two attempts that
/// write at once (the loser tries again and finds the winner's ticket).
/// </summary>
public sealed partial class TicketStore(
    IDbContextFactory<BotDbContext> dbFactory,
    TicketDeadlinePolicy deadlines,
    TicketLimitPolicy limits,
    KnowledgeBase knowledge,
    IOptions<SlaOptions> sla,
    OutboxSignal outboxSignal,
    TimeProvider time,
    ILogger<TicketStore> logger,
    ExportCenter.Knowledge.Privacy.IPiiMasker? masker = null,
    ExportCenter.Knowledge.Privacy.LocalPiiMasker? localMasker = null) : ITicketService
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// The transcript excerpt with its personal data masked (the card shows the contact details in their own fields, so the
    /// excerpt need not repeat them): by Azure's PII recognition when configured, falling back to the local masker when
    /// Azure fails, so a ticket never waits on it.
    /// </summary>
    private async Task<string> MaskTranscriptAsync(string transcript, string language, CancellationToken cancellationToken)
    {
        if (masker is null || string.IsNullOrEmpty(transcript))
        {
            return transcript;
        }

        try
        {
            return await masker.MaskAsync(transcript, language, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogMaskFallback(logger, ex.GetType().Name);
            return localMasker?.Mask(transcript, language) ?? transcript;
        }
    }

    [LoggerMessage(EventId = 2108, Level = LogLevel.Warning, Message = "The transcript could not be masked by the configured masker ({Error}); the local masker did.")]
    private static partial void LogMaskFallback(ILogger logger, string error);

    public async Task<TicketResult> CreateAsync(HandoffRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var d = request.Details;
        var now = time.GetUtcNow();
        var due = deadlines.DeadlineFor(now);
        var organisation = d.TopicId is not null && knowledge.TopicsById.TryGetValue(d.TopicId, out var topic)
            ? topic.Route[0]
            : "region-dalarna";
        var transcript = await MaskTranscriptAsync(request.TranscriptExcerpt, request.ConversationLanguage, cancellationToken);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                if (await WrittenAsync(db, request.HandoffKey, cancellationToken) is { } written)
                {
                    // The turn that wrote it ran again (a crash cost the company its confirmation, or the state that
                    // recorded it): the same ticket is confirmed, and its card and email are already queued with it.
                    LogAlreadyWritten(logger, written.Number);
                    return TicketResult.Created(written);
                }

                var allowance = await limits.CheckAsync(db, request.ClientKey, d.Email, now, cancellationToken);
                if (allowance.Reached is { } limit)
                {
                    LogLimitReached(logger, limit);
                    return TicketResult.LimitReached;
                }

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
                    TranscriptExcerpt = transcript,
                    ClientKey = request.ClientKey,
                    HandoffKey = request.HandoffKey,
                };
                db.Tickets.Add(ticket);
                if (d.Consent == true && !string.IsNullOrWhiteSpace(d.Email))
                {
                    QueueConfirmationEmail(db, ticket, allowance.SendEmail, now);
                }

                // The advisors see the ticket through the outbox too: the card is posted even if the channel is down now.
                TicketOutbox.QueueCardPost(db, ticket, now);
                await db.SaveChangesAsync(cancellationToken);
                AddCreatedEvents(db, ticket, allowance.Flag, now);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                outboxSignal.Pulse();
                return TicketResult.Created(Receipt(ticket.Number, organisation, due));
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // Two instances created the year's first counter row at once, or two attempts of one handoff wrote its
                // ticket at once (the unique index on its key): the loser tries again, and then finds the winner's ticket.
            }
        }
    }

    /// <summary>The receipt of the ticket an earlier attempt of the handoff wrote; null when there is none (or no key).</summary>
    private async Task<TicketReceipt?> WrittenAsync(BotDbContext db, string? handoffKey, CancellationToken cancellationToken)
    {
        if (handoffKey is null)
        {
            return null;
        }

        var written = await db.Tickets.AsNoTracking()
            .Where(t => t.HandoffKey == handoffKey)
            .Select(t => new { t.Number, t.SuggestedOrganisationId, t.DueAt })
            .SingleOrDefaultAsync(cancellationToken);
        return written is null ? null : Receipt(written.Number, written.SuggestedOrganisationId, written.DueAt);
    }

    /// <summary>What the company is told: the organisation first suggested (as at the first confirmation) and the deadline.</summary>
    private TicketReceipt Receipt(string number, string organisation, DateTimeOffset due) =>
        new(number, organisation, due, deadlines.ToLocal(due));

    /// <summary>
    /// The confirmation email rides in the ticket's transaction: no ticket without it, no email without the ticket.
    /// Past the day's limit of confirmation emails the ticket is made without one (the chat still confirms it).
    /// </summary>
    private void QueueConfirmationEmail(BotDbContext db, Ticket ticket, bool allowed, DateTimeOffset now)
    {
        if (!allowed)
        {
            LogEmailLimitReached(logger, ticket.Number);
            return;
        }

        db.Outbox.Add(new OutboxMessage
        {
            Kind = OutboxKinds.TicketEmail,
            IdempotencyKey = TicketEmail.IdempotencyKey(ticket),
            Partition = TicketOutbox.EmailPartition(ticket.Number),
            Payload = JsonSerializer.Serialize(TicketEmail.Compose(ticket, knowledge, deadlines.ToLocal(ticket.DueAt))),
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }

    /// <summary>The audit trail's first line, and a flag for the advisors when the email address made many tickets in a short time.</summary>
    private static void AddCreatedEvents(BotDbContext db, Ticket ticket, bool flag, DateTimeOffset now)
    {
        db.TicketEvents.Add(new TicketEvent { TicketId = ticket.Id, At = now, Action = TicketAction.Created, Source = TicketSource.Company });
        if (flag)
        {
            db.TicketEvents.Add(new TicketEvent { TicketId = ticket.Id, At = now, Action = TicketAction.Flagged, Source = TicketSource.Company, Detail = FlagDetails.SameEmail });
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

    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "No ticket was made: the limit {Limit} on new tickets was reached.")]
    private static partial void LogLimitReached(ILogger logger, TicketLimit limit);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Ticket {Number} was made without a confirmation email: the day's limit of confirmation emails was reached.")]
    private static partial void LogEmailLimitReached(ILogger logger, string number);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Ticket {Number} was already written by an earlier attempt of the same handoff (its turn ran again after a crash); it is confirmed again and nothing new is queued.")]
    private static partial void LogAlreadyWritten(ILogger logger, string number);

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
