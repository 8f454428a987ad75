using System.Globalization;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Tickets;

/// <summary>Who acts on a ticket: an advisor of the directory (by id, with the name the company is told), and where from.</summary>
public sealed record TicketActor(long AdvisorId, string Name, string OrganisationId, TicketSource Source);

/// <summary>The verbs of the desk.</summary>
public enum TicketVerb
{
    Claim,
    Reassign,
    Resolve,
    Reply,
}

/// <summary>How an action on a ticket ended.</summary>
public enum DeskOutcome
{
    Done,
    NoSuchTicket,
    AlreadyResolved,
    AlreadyYours,
    ClaimedByOther,
    UnknownOrganisation,
    AlreadyWithOrganisation,
    NoOutcome,
    EmptyReply,
    ReplyTooLong,
    ChangedMeanwhile,
}

/// <summary>The result of an action: the outcome, the ticket as it is now (unchanged when refused), and (when another advisor has it) who.</summary>
public sealed record DeskResult(TicketVerb Verb, string Number, DeskOutcome Outcome, Ticket? Ticket, IReadOnlyList<TicketHistoryLine> History, string? Holder = null)
{
    public bool Done => Outcome == DeskOutcome.Done;
}

/// <summary>
/// What advisors do with tickets: claim, reassign, resolve, reply, and the live relay from the company. Each
/// action changes the ticket, writes an audit row and queues its deliveries (the card update for everyone,
/// the message to the company, an email) in one transaction, so nothing is sent for a change that did not
/// happen and nothing is lost for one that did. The ticket's version guards against two advisors acting at once.
/// </summary>
public sealed class TicketDesk(IDbContextFactory<BotDbContext> dbFactory, KnowledgeBase knowledge, TicketDeadlinePolicy deadlines, OutboxSignal outboxSignal, TimeProvider time)
{
    /// <summary>
    /// The claimed ticket of a conversation, asked on every company turn. Compiled once per desk (one desk per host,
    /// so per provider's model): translating the LINQ anew cost 5 % of a turn's CPU.
    /// </summary>
    private readonly Func<BotDbContext, string, string, CancellationToken, Task<Ticket?>> _claimedTicket =
        EF.CompileAsyncQuery((BotDbContext db, string channelId, string conversationId, CancellationToken cancellationToken) =>
            db.Tickets.AsNoTracking()
                .Where(t => t.ChannelId == channelId && t.ConversationId == conversationId && t.Status == TicketStatus.Claimed)
                .OrderByDescending(t => t.Id)
                .FirstOrDefault());

    /// <summary>The longest reply to the company the desk accepts.</summary>
    public const int MaxReplyChars = 2000;

    private const int MaxRelayChars = 3000;

    public Task<DeskResult> ClaimAsync(TicketActor actor, string number, CancellationToken cancellationToken) =>
        ChangeAsync(actor, TicketVerb.Claim, number, async (db, ticket, now) =>
        {
            if (ticket.Status == TicketStatus.Claimed)
            {
                var holder = await db.Advisors.AsNoTracking().Where(a => a.Id == ticket.ClaimedByAdvisorId).Select(a => a.Name).SingleOrDefaultAsync(cancellationToken);
                return ticket.ClaimedByAdvisorId == actor.AdvisorId ? (DeskOutcome.AlreadyYours, null) : (DeskOutcome.ClaimedByOther, holder);
            }

            Claim(ticket, actor, now);
            QueueCompany(db, ticket, "claimed", CompanyNotices.Claimed(ticket, actor, knowledge, deadlines.ToLocal(ticket.DueAt)), now, CompanyNotices.ClaimedSubjects);
            return Done(db, ticket, actor, TicketAction.Claimed, now, null);
        }, cancellationToken);

    public Task<DeskResult> ReassignAsync(TicketActor actor, string number, string? organisation, CancellationToken cancellationToken) =>
        ChangeAsync(actor, TicketVerb.Reassign, number, async (db, ticket, now) =>
        {
            if (organisation is null || !knowledge.OrganisationsById.ContainsKey(organisation))
            {
                return (DeskOutcome.UnknownOrganisation, null);
            }

            if (organisation == ticket.OrganisationId && ticket.Status == TicketStatus.Open)
            {
                return (DeskOutcome.AlreadyWithOrganisation, null);
            }

            ticket.AssignedOrganisationId = organisation;
            var holderOrganisation = ticket.ClaimedByAdvisorId is { } holderId
                ? await db.Advisors.AsNoTracking().Where(a => a.Id == holderId).Select(a => a.OrganisationId).SingleOrDefaultAsync(cancellationToken)
                : null;
            if (ticket.Status == TicketStatus.Claimed && holderOrganisation != organisation)
            {
                // The new organisation picks it up: the ticket is open again and the relay stops.
                ticket.Status = TicketStatus.Open;
                ticket.ClaimedByAdvisorId = null;
            }

            QueueCompany(db, ticket, "reassigned", CompanyNotices.Reassigned(ticket, knowledge, deadlines.ToLocal(ticket.DueAt)), now, null);
            return Done(db, ticket, actor, TicketAction.Reassigned, now, organisation);
        }, cancellationToken);

    public Task<DeskResult> ResolveAsync(TicketActor actor, string number, TicketOutcome? outcome, CancellationToken cancellationToken) =>
        ChangeAsync(actor, TicketVerb.Resolve, number, (db, ticket, now) =>
        {
            if (outcome is not { } how || !Enum.IsDefined(how))
            {
                return Task.FromResult<(DeskOutcome, string?)>((DeskOutcome.NoOutcome, null));
            }

            ticket.Status = TicketStatus.Resolved;
            ticket.Outcome = how;
            ticket.ResolvedAt = now;
            ticket.ResolvedByAdvisorId = actor.AdvisorId;
            QueueCompany(db, ticket, "resolved", CompanyNotices.Resolved(ticket, actor, knowledge), now, CompanyNotices.ResolvedSubjects);
            return Task.FromResult(Done(db, ticket, actor, TicketAction.Resolved, now, how.ToString().ToLowerInvariant()));
        }, cancellationToken);

    public Task<DeskResult> ReplyAsync(TicketActor actor, string number, string? text, CancellationToken cancellationToken) =>
        ChangeAsync(actor, TicketVerb.Reply, number, (db, ticket, now) =>
        {
            var reply = text?.Trim();
            if (string.IsNullOrEmpty(reply))
            {
                return Task.FromResult<(DeskOutcome, string?)>((DeskOutcome.EmptyReply, null));
            }

            if (reply.Length > MaxReplyChars)
            {
                return Task.FromResult<(DeskOutcome, string?)>((DeskOutcome.ReplyTooLong, null));
            }

            if (ticket.Status == TicketStatus.Open)
            {
                // Answering the company is taking the case.
                Claim(ticket, actor, now);
                AddEvent(db, ticket, TicketAction.Claimed, actor, now, null);
            }

            QueueCompany(db, ticket, "reply", CompanyNotices.Reply(actor, knowledge, ticket, reply), now, null);
            return Task.FromResult(Done(db, ticket, actor, TicketAction.Replied, now, null));
        }, cancellationToken);

    /// <summary>
    /// The live relay from the company: while one of the conversation's tickets is claimed, what the company
    /// writes goes to the ticket's thread instead of to the knowledge base. Returns false when nothing is live.
    /// </summary>
    public async Task<bool> RelayFromCompanyAsync(string channelId, string conversationId, string activityId, string text, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await _claimedTicket(db, channelId, conversationId, cancellationToken);
        if (ticket is null)
        {
            return false;
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var key = $"relay-{ticket.Number}-{activityId}";
        if (await db.Outbox.AnyAsync(m => m.IdempotencyKey == key, cancellationToken))
        {
            return true; // The channel delivered the same activity twice.
        }

        var clipped = text.Length <= MaxRelayChars ? text : string.Concat(text.AsSpan(0, MaxRelayChars - 1), "…");
        TicketOutbox.QueueAdvisorText(db, key, new TicketTextPayload(ticket.Number, $"{ticket.Number} · {ticket.ContactPerson} ({ticket.CompanyName}): {clipped}"), now);
        db.TicketEvents.Add(new TicketEvent { TicketId = ticket.Id, At = now, Action = TicketAction.Relayed, Source = TicketSource.Company });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Pulse();
        return true;
    }

    /// <summary>Writes a refused attempt to the audit table (who tried what; never message text).</summary>
    public async Task AuditRefusalAsync(string? number, TicketSource source, long? advisorId, string reason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticketId = number is null ? null : await db.Tickets.Where(t => t.Number == number).Select(t => (long?)t.Id).FirstOrDefaultAsync(cancellationToken);
        if (ticketId is null)
        {
            return;
        }

        db.TicketEvents.Add(new TicketEvent { TicketId = ticketId.Value, At = time.GetUtcNow(), Action = TicketAction.Refused, Source = source, AdvisorId = advisorId, Detail = reason.Length > 200 ? reason[..200] : reason });
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Loads the ticket in a transaction, lets the verb decide and change it, and commits the change with its
    /// audit row and outbox rows. A concurrent change (the version check) makes it decide again on the new state.
    /// </summary>
    private async Task<DeskResult> ChangeAsync(TicketActor actor, TicketVerb verb, string number, Func<BotDbContext, Ticket, DateTimeOffset, Task<(DeskOutcome Outcome, string? Holder)>> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var ticket = await db.Tickets.SingleOrDefaultAsync(t => t.Number == number, cancellationToken);
                if (ticket is null)
                {
                    return new DeskResult(verb, number, DeskOutcome.NoSuchTicket, null, []);
                }

                if (ticket.Status == TicketStatus.Resolved)
                {
                    return new DeskResult(verb, number, DeskOutcome.AlreadyResolved, ticket, await TicketQueries.HistoryAsync(db, ticket.Id, cancellationToken));
                }

                var (outcome, holder) = await change(db, ticket, time.GetUtcNow());
                if (outcome != DeskOutcome.Done)
                {
                    var refusedHistory = outcome is DeskOutcome.AlreadyYours or DeskOutcome.ClaimedByOther ? await TicketQueries.HistoryAsync(db, ticket.Id, cancellationToken) : [];
                    return new DeskResult(verb, number, outcome, ticket, refusedHistory, holder);
                }

                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                outboxSignal.Pulse();
                return new DeskResult(verb, number, DeskOutcome.Done, ticket, await TicketQueries.HistoryAsync(db, ticket.Id, cancellationToken));
            }
            catch (DbUpdateConcurrencyException) when (attempt < 3)
            {
                // Someone else changed the ticket in between; decide again on its new state.
            }
            catch (DbUpdateConcurrencyException)
            {
                return new DeskResult(verb, number, DeskOutcome.ChangedMeanwhile, null, []);
            }
        }
    }

    /// <summary>The common end of every change: the version, the audit row and the card update.</summary>
    private static (DeskOutcome, string?) Done(BotDbContext db, Ticket ticket, TicketActor actor, TicketAction action, DateTimeOffset now, string? detail)
    {
        ticket.Version++;
        AddEvent(db, ticket, action, actor, now, detail);
        TicketOutbox.QueueCardUpdate(db, ticket, now);
        return (DeskOutcome.Done, null);
    }

    private static void Claim(Ticket ticket, TicketActor actor, DateTimeOffset now)
    {
        ticket.Status = TicketStatus.Claimed;
        ticket.ClaimedAt = now;
        ticket.ClaimedByAdvisorId = actor.AdvisorId;
        ticket.AssignedOrganisationId = actor.OrganisationId;
    }

    private static void AddEvent(BotDbContext db, Ticket ticket, TicketAction action, TicketActor actor, DateTimeOffset now, string? detail) =>
        db.TicketEvents.Add(new TicketEvent { TicketId = ticket.Id, At = now, Action = action, Source = actor.Source, AdvisorId = actor.AdvisorId, Detail = detail });

    private static void QueueCompany(BotDbContext db, Ticket ticket, string what, string text, DateTimeOffset now, (string Sv, string En)? email)
    {
        var key = $"company-{ticket.Number}-v{ticket.Version + 1}-{what}";
        db.Outbox.Add(TicketOutbox.NewMessage(OutboxKinds.CompanyMessage, key, TicketOutbox.CompanyPartition(ticket.Number), new TicketTextPayload(ticket.Number, text), now));
        if (email is { } subjects && !string.IsNullOrWhiteSpace(ticket.Email))
        {
            var payload = CompanyNotices.Email(ticket, string.Format(CultureInfo.InvariantCulture, subjects.Sv, ticket.Number), string.Format(CultureInfo.InvariantCulture, subjects.En, ticket.Number), text);
            db.Outbox.Add(TicketOutbox.NewMessage(OutboxKinds.TicketEmail, "email-" + key, TicketOutbox.EmailPartition(ticket.Number), payload, now));
        }
    }
}
