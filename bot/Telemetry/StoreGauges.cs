using System.Diagnostics.Metrics;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Tickets;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Telemetry;

/// <summary>
/// What the database holds now, read when a collector asks (a Prometheus scrape, an OTLP export), never on a turn:
/// tickets by state (<c>exportcenter.tickets</c>) and outbox messages still to be delivered
/// (<c>exportcenter.outbox.backlog</c>, neither sent nor given up). A database that cannot be read gives no figure.
/// </summary>
public sealed partial class StoreGauges
{
    private readonly IDbContextFactory<BotDbContext> _dbFactory;
    private readonly ILogger<StoreGauges> _logger;

    public StoreGauges(IMeterFactory meters, IDbContextFactory<BotDbContext> dbFactory, ILogger<StoreGauges> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _dbFactory = dbFactory;
        _logger = logger;
        var meter = meters.Create(BotMetrics.MeterName);
        meter.CreateObservableGauge("exportcenter.tickets", Tickets, "{ticket}", "Tickets in the database, by state (open, claimed, resolved).");
        meter.CreateObservableGauge("exportcenter.outbox.backlog", Backlog, "{message}", "Outbox messages neither delivered nor given up.");
    }

    private IEnumerable<Measurement<long>> Tickets()
    {
        try
        {
            using var db = _dbFactory.CreateDbContext();
            var counts = db.Tickets.AsNoTracking().GroupBy(t => t.Status).Select(g => new { g.Key, Count = g.LongCount() }).ToList();
            return [.. Enum.GetValues<TicketStatus>().Select(status => new Measurement<long>(
                counts.FirstOrDefault(c => c.Key == status)?.Count ?? 0,
                new KeyValuePair<string, object?>("state", status.ToString().ToLowerInvariant())))];
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            LogUnreadable(_logger, ex.GetType().Name);
            return [];
        }
    }

    private IEnumerable<Measurement<long>> Backlog()
    {
        try
        {
            using var db = _dbFactory.CreateDbContext();
            return [new Measurement<long>(db.Outbox.AsNoTracking().LongCount(m => m.SentAt == null && m.FailedAt == null))];
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            LogUnreadable(_logger, ex.GetType().Name);
            return [];
        }
    }

    [LoggerMessage(EventId = 9101, Level = LogLevel.Warning, Message = "Telemetry: the database could not be read for a gauge ({Reason}).")]
    private static partial void LogUnreadable(ILogger logger, string reason);
}
