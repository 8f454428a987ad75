using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Tickets;

/// <summary>
/// Watches unclaimed tickets. When the configured share (75%) of a ticket's counted time to its deadline has
/// passed, it reminds the advisors in the ticket's thread; at the deadline it escalates to the coordinator
/// and marks the ticket breached. A ticket is claimed with a lease (one conditional UPDATE, like the outbox)
/// before it is worked on, and the reminder or escalation is recorded together with its outbox rows in one
/// transaction that only succeeds while the lease is held and the step is not done yet, so each is sent
/// exactly once: across restarts and with several instances on one database.
/// </summary>
public sealed partial class SlaMonitor(
    IDbContextFactory<BotDbContext> dbFactory,
    IOptions<SlaOptions> options,
    KnowledgeBase knowledge,
    TicketDeadlinePolicy deadlines,
    OutboxSignal outboxSignal,
    TimeProvider time,
    ILogger<SlaMonitor> logger)
{
    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>One round: reminds and escalates what is due; returns how many steps were taken.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await Due(db.Tickets, now).AsNoTracking().OrderBy(t => t.Id).Select(t => t.Id).Take(50).ToListAsync(cancellationToken);
        }

        var steps = 0;
        foreach (var id in due)
        {
            steps += await ProcessAsync(id, cancellationToken);
        }

        return steps;
    }

    private static IQueryable<Ticket> Due(IQueryable<Ticket> tickets, DateTimeOffset now) => tickets
        .Where(t => t.Status == TicketStatus.Open && (t.SlaLeaseUntil == null || t.SlaLeaseUntil < now))
        .Where(t => (t.RemindedAt == null && t.ReminderDueAt != null && t.ReminderDueAt <= now && t.DueAt > now) || (t.BreachedAt == null && t.DueAt <= now));

    private async Task<int> ProcessAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var leaseUntil = now + options.Value.Lease;
        var claimed = await Due(db.Tickets, now).Where(t => t.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaLeaseUntil, leaseUntil).SetProperty(t => t.SlaLeaseOwner, _owner), cancellationToken);
        if (claimed == 0)
        {
            return 0; // Another instance has it, or it was claimed by an advisor meanwhile.
        }

        var steps = 0;
        try
        {
            var ticket = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == id, cancellationToken);
            if (ticket.RemindedAt is null && ticket.ReminderDueAt <= now && ticket.DueAt > now)
            {
                steps += await StepAsync(db, ticket, now, TicketAction.Reminded, cancellationToken);
            }

            if (ticket.BreachedAt is null && ticket.DueAt <= now)
            {
                steps += await StepAsync(db, ticket, now, TicketAction.Escalated, cancellationToken);
            }
        }
        finally
        {
            await db.Tickets.Where(t => t.Id == id && t.SlaLeaseOwner == _owner)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.SlaLeaseUntil, (DateTimeOffset?)null).SetProperty(t => t.SlaLeaseOwner, (string?)null), CancellationToken.None);
        }

        return steps;
    }

    private async Task<int> StepAsync(BotDbContext db, Ticket ticket, DateTimeOffset now, TicketAction step, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var reminder = step == TicketAction.Reminded;

        // Done only while this monitor holds the lease, the ticket is still unclaimed and the step not yet taken.
        var marked = reminder
            ? await db.Tickets.Where(t => t.Id == ticket.Id && t.SlaLeaseOwner == _owner && t.Status == TicketStatus.Open && t.RemindedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.RemindedAt, now).SetProperty(t => t.Version, t => t.Version + 1), cancellationToken)
            : await db.Tickets.Where(t => t.Id == ticket.Id && t.SlaLeaseOwner == _owner && t.Status == TicketStatus.Open && t.BreachedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.BreachedAt, now).SetProperty(t => t.Version, t => t.Version + 1), cancellationToken);
        if (marked == 0)
        {
            return 0;
        }

        var due = deadlines.ToLocal(ticket.DueAt).ToString("ddd d MMM HH:mm", System.Globalization.CultureInfo.GetCultureInfo("sv-SE")); // as the advisors' texts write it
        var organisation = CompanyNotices.OrganisationName(knowledge, ticket.OrganisationId, ConversationLanguage.Swedish);
        var text = reminder
            ? $"Påminnelse: ingen har tagit ärende {ticket.Number} ({organisation}) ännu. Företaget har lovats kontakt senast {due}."
            : $"Deadline passerad: ärende {ticket.Number} ({organisation}) skulle ha fått kontakt senast {due} och ingen har tagit det.";
        // The card first (its time left and history change; it also posts a card that was never posted), then
        // the reminder or escalation in its thread.
        var updated = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticket.Id, cancellationToken);
        TicketOutbox.QueueCardUpdate(db, updated, now);
        TicketOutbox.QueueAdvisorText(db, $"sla-{TicketEventNames.Name(step)}-{ticket.Number}", new TicketTextPayload(ticket.Number, text, MentionCoordinator: !reminder, EscalationChannel: !reminder), now);
        db.TicketEvents.Add(new TicketEvent { TicketId = ticket.Id, At = now, Action = step, Source = TicketSource.Sla });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outboxSignal.Pulse();
        LogStep(logger, ticket.Number, TicketEventNames.Name(step));
        return 1;
    }

    [LoggerMessage(EventId = 8541, Level = LogLevel.Information, Message = "SLA: ticket {Number} {Step}.")]
    private static partial void LogStep(ILogger logger, string number, string step);
}

/// <summary>Runs the SLA monitor in the background.</summary>
public sealed class SlaWorker(SlaMonitor monitor, IOptions<SlaOptions> options, TimeProvider time, ILogger<SlaWorker> logger)
    : Hosting.PeriodicWorker(time, logger)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => monitor.RunOnceAsync(cancellationToken);
}
