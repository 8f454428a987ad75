using System.Text.Json;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Outbox;

/// <summary>Outbox settings (section "Outbox").</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Outbox";

    /// <summary>Run the background worker (tests drive <see cref="OutboxProcessor"/> themselves).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker looks for due messages.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a claim holds; a worker that dies releases its rows when the lease runs out.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest wait between two attempts.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Sends due outbox messages. Each row is claimed with a lease in one conditional UPDATE before it is sent,
/// so two workers (or two instances) never both send it; a failure schedules the next attempt with
/// exponential backoff; a sent row is marked and never sent again.
/// </summary>
public sealed partial class OutboxProcessor(
    IDbContextFactory<BotDbContext> dbFactory,
    IEmailSender email,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxProcessor> logger)
{
    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>Sends what is due now; returns how many messages were sent.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await db.Outbox.AsNoTracking()
                .Where(m => m.SentAt == null && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
                .OrderBy(m => m.Id)
                .Select(m => m.Id)
                .Take(20)
                .ToListAsync(cancellationToken);
        }

        var sent = 0;
        foreach (var id in due)
        {
            if (await TrySendAsync(id, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> TrySendAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var leaseUntil = now + options.Value.Lease;
        var claimed = await db.Outbox
            .Where(m => m.Id == id && m.SentAt == null && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntil, leaseUntil).SetProperty(m => m.LeaseOwner, _owner), cancellationToken);
        if (claimed == 0)
        {
            return false; // Another worker has it, or it was sent meanwhile.
        }

        var message = await db.Outbox.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        try
        {
            await DeliverAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var attempts = message.Attempts + 1;
            var backoff = TimeSpan.FromSeconds(Math.Min(options.Value.MaxBackoff.TotalSeconds, 5 * Math.Pow(2, attempts - 1)));
            var next = time.GetUtcNow() + backoff;
            var error = ex.GetType().Name;
            await db.Outbox.Where(m => m.Id == id && m.LeaseOwner == _owner)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.LastError, error), cancellationToken);
            LogSendFailed(logger, message.Kind, id, attempts, error, backoff);
            return false;
        }

        var sentAt = time.GetUtcNow();
        await db.Outbox.Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, sentAt).SetProperty(m => m.Attempts, message.Attempts + 1).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        LogSent(logger, message.Kind, id);
        return true;
    }

    private Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken) => message.Kind switch
    {
        OutboxKinds.TicketEmail => email.SendAsync(
            JsonSerializer.Deserialize<EmailPayload>(message.Payload) ?? throw new InvalidOperationException("Empty email payload."),
            $"<{message.IdempotencyKey}@exportcenter.bot>",
            cancellationToken),
        _ => throw new InvalidOperationException($"Unknown outbox message kind '{message.Kind}'."),
    };

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Outbox message {Id} ({Kind}) failed on attempt {Attempts} ({Error}); next attempt in {Backoff}.")]
    private static partial void LogSendFailed(ILogger logger, string kind, long id, int attempts, string error, TimeSpan backoff);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Outbox message {Id} ({Kind}) sent.")]
    private static partial void LogSent(ILogger logger, string kind, long id);
}

/// <summary>Runs the outbox processor in the background.</summary>
public sealed class OutboxWorker(OutboxProcessor processor, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxWorker> logger)
    : Hosting.PeriodicWorker(time, logger)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => processor.ProcessDueAsync(cancellationToken);
}

/// <summary>Registers the outbox and email.</summary>
public static class OutboxExtensions
{
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.SectionName)).ValidateOnStart();
        builder.Services.AddOptions<EmailOptions>().Bind(builder.Configuration.GetSection(EmailOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IEmailSender, EmailSender>();
        builder.Services.AddSingleton<OutboxProcessor>();
        builder.Services.AddHostedService<OutboxWorker>();
        return builder;
    }
}
