using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Tickets;

/// <summary>An audit line as the card shows it.</summary>
public sealed record TicketHistoryLine(DateTimeOffset At, TicketAction Action, string? AdvisorName, string? AdvisorOrganisationId, string? Detail);

/// <summary>A ticket that is not resolved yet, for the advisors' overview.</summary>
public sealed record OpenTicket(string Number, TicketStatus Status, string OrganisationId, DateTimeOffset DueAt);

/// <summary>
/// The ticket lifecycle's read side: a ticket with its history, the open tickets, the ticket of a thread,
/// an advisor's live tickets. Every read opens its own short-lived context and tracks nothing.
/// </summary>
public sealed class TicketQueries(IDbContextFactory<BotDbContext> dbFactory)
{
    /// <summary>A ticket with its audit history; null when there is no such ticket (or retention deleted it).</summary>
    public async Task<(Ticket Ticket, IReadOnlyList<TicketHistoryLine> History)?> LoadAsync(string number, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ticket = await db.Tickets.AsNoTracking().SingleOrDefaultAsync(t => t.Number == number, cancellationToken);
        return ticket is null ? null : (ticket, await HistoryAsync(db, ticket.Id, cancellationToken));
    }

    /// <summary>The tickets that are not resolved, most urgent first.</summary>
    public async Task<IReadOnlyList<OpenTicket>> OpenAsync(int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tickets.AsNoTracking()
            .Where(t => t.Status != TicketStatus.Resolved)
            .OrderBy(t => t.DueAt)
            .Select(t => new OpenTicket(t.Number, t.Status, t.AssignedOrganisationId ?? t.SuggestedOrganisationId, t.DueAt))
            .Take(take)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The activity ids of the cards that open tickets have in an advisors' conversation.</summary>
    public async Task<IReadOnlyList<string>> OpenCardsInAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tickets.AsNoTracking()
            .Where(t => t.Status != TicketStatus.Resolved && t.AdvisorConversationId == conversationId && t.AdvisorActivityId != null)
            .Select(t => t.AdvisorActivityId!)
            .ToListAsync(cancellationToken);
    }

    /// <summary>The ticket whose card was posted as the root of the advisors' conversation (in Teams its thread).</summary>
    public async Task<string?> FindByAdvisorConversationAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tickets.AsNoTracking().Where(t => t.AdvisorConversationId == conversationId && t.AdvisorConversationId != null)
            .Select(t => t.Number).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The tickets an advisor has now, newest first.</summary>
    public async Task<IReadOnlyList<string>> LiveTicketsOfAsync(long advisorId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Tickets.AsNoTracking().Where(t => t.ClaimedByAdvisorId == advisorId && t.Status == TicketStatus.Claimed)
            .OrderByDescending(t => t.Id).Select(t => t.Number).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// What was done to a ticket and by whom, oldest first; relays and refusals are left out. The advisor's name
    /// and organisation are read from the advisors' table as they are now (the audit rows hold only the id).
    /// </summary>
    internal static async Task<IReadOnlyList<TicketHistoryLine>> HistoryAsync(BotDbContext db, long ticketId, CancellationToken cancellationToken)
    {
        var rows = await (from e in db.TicketEvents.AsNoTracking()
                          where e.TicketId == ticketId && e.Action != TicketAction.Relayed && e.Action != TicketAction.Refused
                          join a in db.Advisors.AsNoTracking() on e.AdvisorId equals a.Id into advisors
                          from a in advisors.DefaultIfEmpty()
                          orderby e.Id
                          select new { e.At, e.Action, Name = a != null ? a.Name : null, Organisation = a != null ? a.OrganisationId : null, e.Detail })
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new TicketHistoryLine(r.At, r.Action, r.Name, r.Organisation, r.Detail))];
    }
}
