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

    /// <summary>The wait after the first failure; it doubles with each further failure.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(5);

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
    IEnumerable<IOutboxHandler> handlers,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxProcessor> logger)
{
    private readonly string _owner = Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, IOutboxHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    /// <summary>Sends what is due now; returns how many messages were sent.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<long> due;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            due = await Due(db.Outbox, now).AsNoTracking()
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
        var claimed = await Due(db.Outbox, now).Where(m => m.Id == id)
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
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Anything but our own shutdown is a failed attempt, an HTTP timeout (TaskCanceledException) included.
            var attempts = message.Attempts + 1;
            var backoff = Backoff(attempts, (ex as OutboxRetryException)?.RetryAfter);
            var next = time.GetUtcNow() + backoff;
            var error = ex is OutboxRetryException retry ? retry.Reason : ex.GetType().Name;
            await db.Outbox.Where(m => m.Id == id && m.LeaseOwner == _owner)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.LastError, error), cancellationToken);
            LogSendFailed(logger, message.Kind, id, attempts, error, backoff);
            return false;
        }

        var sentAt = time.GetUtcNow();
        await db.Outbox.Where(m => m.Id == id && m.LeaseOwner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, sentAt).SetProperty(m => m.Attempts, message.Attempts + 1).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        LogSent(logger, message.Kind, id);
        return true;
    }

    /// <summary>
    /// Rows that may be sent now: unsent, due, not leased, and first in their partition (an earlier unsent
    /// row of the same partition holds the later ones back, so a card is posted before it is updated).
    /// </summary>
    private static IQueryable<OutboxMessage> Due(IQueryable<OutboxMessage> outbox, DateTimeOffset now) => outbox
        .Where(m => m.SentAt == null && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
        .Where(m => m.Partition == null || !outbox.Any(e => e.Partition == m.Partition && e.SentAt == null && e.Id < m.Id));

    /// <summary>Exponential backoff with a little jitter, never shorter than the receiver's Retry-After.</summary>
    private TimeSpan Backoff(int attempts, TimeSpan? retryAfter)
    {
        var seconds = Math.Min(options.Value.MaxBackoff.TotalSeconds, options.Value.FirstBackoff.TotalSeconds * Math.Pow(2, attempts - 1));
        var backoff = TimeSpan.FromSeconds(seconds * (1 + (Random.Shared.NextDouble() * 0.1)));
        return retryAfter is { } wait && wait > backoff ? wait : backoff;
    }

    private Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken) =>
        _handlers.TryGetValue(message.Kind, out var handler)
            ? handler.DeliverAsync(message, cancellationToken)
            : throw new InvalidOperationException($"Unknown outbox message kind '{message.Kind}'.");

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Outbox message {Id} ({Kind}) failed on attempt {Attempts} ({Error}); next attempt in {Backoff}.")]
    private static partial void LogSendFailed(ILogger logger, string kind, long id, int attempts, string error, TimeSpan backoff);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Outbox message {Id} ({Kind}) sent.")]
    private static partial void LogSent(ILogger logger, string kind, long id);
}

/// <summary>
/// Runs the outbox processor in the background: every poll interval, and at once when this instance has
/// just written outbox rows (<see cref="OutboxSignal"/>), so a new ticket's card does not wait for the poll.
/// </summary>
public sealed class OutboxWorker(OutboxProcessor processor, OutboxSignal signal, IOptions<OutboxOptions> options, TimeProvider time, ILogger<OutboxWorker> logger)
    : Hosting.PeriodicWorker(time, logger)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.PollInterval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => processor.ProcessDueAsync(cancellationToken);

    protected override async Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var delay = Task.Delay(interval, Time, wait.Token);
        await Task.WhenAny(delay, signal.NextAsync(wait.Token));
        await wait.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }
}

/// <summary>Wakes this instance's outbox worker after outbox rows were committed (other instances poll).</summary>
public sealed class OutboxSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Pulse() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public Task NextAsync(CancellationToken cancellationToken) => Volatile.Read(ref _next).Task.WaitAsync(cancellationToken);
}

/// <summary>Registers the outbox and email.</summary>
public static class OutboxExtensions
{
    public static IHostApplicationBuilder AddOutbox(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.SectionName)).ValidateOnStart();
        builder.Services.AddOptions<EmailOptions>().Bind(builder.Configuration.GetSection(EmailOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IEmailSender, EmailSender>();
        builder.Services.AddSingleton<IOutboxHandler, EmailOutboxHandler>();
        builder.Services.AddSingleton<OutboxProcessor>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxWorker>();
        return builder;
    }
}

/// <summary>Delivers one kind of outbox message. Throw to have it retried later.</summary>
public interface IOutboxHandler
{
    string Kind { get; }

    Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>A delivery that failed for now; the receiver may have said when to try again.</summary>
public sealed class OutboxRetryException(string reason, TimeSpan? retryAfter, Exception? inner = null) : Exception(reason, inner)
{
    /// <summary>A short reason without message content, e.g. "HTTP 429".</summary>
    public string Reason { get; } = reason;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Sends ticket emails.</summary>
public sealed class EmailOutboxHandler(IEmailSender email) : IOutboxHandler
{
    public string Kind => OutboxKinds.TicketEmail;

    public Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return email.SendAsync(
            JsonSerializer.Deserialize<EmailPayload>(message.Payload) ?? throw new InvalidOperationException("Empty email payload."),
            $"<{message.IdempotencyKey}@exportcenter.bot>",
            cancellationToken);
    }
}
