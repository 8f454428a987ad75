using ExportCenter.Bot.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExportCenter.Bot.Telemetry;

/// <summary>
/// Counts the ticket events a save wrote (<c>exportcenter.ticket.events</c>), whichever part of the bot added them: the
/// company's handoff, the advisors' desk, the SLA monitor. Counted once the save succeeded.
/// </summary>
public sealed class TicketEventMetrics(BotMetrics metrics) : SaveChangesInterceptor
{
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbContext, List<TicketAction>> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Count(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Count(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Note(DbContext? context)
    {
        if (context is null)
        {
            return;
        }

        // Ticket events are only ever added (never edited), so the entries are read without a second scan of every
        // tracked entity for changes: the save itself runs that scan.
        List<TicketAction>? added = null;
        var tracker = context.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries<TicketEvent>())
            {
                if (entry.State == EntityState.Added)
                {
                    (added ??= []).Add(entry.Entity.Action);
                }
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
        }

        if (added is not null)
        {
            _pending.AddOrUpdate(context, added);
        }
    }

    private void Count(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var added))
        {
            _pending.Remove(context);
            foreach (var action in added)
            {
                metrics.TicketEvent(TicketEventNames.Name(action));
            }
        }
    }

    private void Forget(DbContext? context)
    {
        if (context is not null)
        {
            _pending.Remove(context);
        }
    }
}
