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

    /// <summary>
    /// How many permanent refusals (<see cref="OutboxPermanentFailureException"/>: a Bot Connector's 400, 403, 404, 410
    /// or 413, an SMTP server's 5xx) a message gets before it is given up. More than one, so that a refusal in passing
    /// (a channel being reinstalled, a mail server restarting its filters) is tried again after the usual backoff.
    /// </summary>
    public int MaxPermanentAttempts { get; set; } = 3;

    /// <summary>
    /// How long a message that keeps failing for now (429, 5xx, timeouts, an unreachable server) is retried, counted
    /// from when it was written; after that it is given up like a refused one, so that its partition moves on.
    /// </summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>
/// Sends due outbox messages. Each row is claimed with a lease in one conditional UPDATE before it is sent,
/// so two workers (or two instances) never both send it; a failure schedules the next attempt with
/// exponential backoff; a sent row is marked and never sent again. A row the receiver refuses
/// <see cref="OutboxOptions.MaxPermanentAttempts"/> times, or that keeps failing for
/// <see cref="OutboxOptions.GiveUpAfter"/>, is given up: marked failed, told to the
/// <see cref="IOutboxFailureRecorder"/>s in the same transaction, and no longer in its partition's way.
/// </summary>
/// <remarks>
/// A crash after the receiver took a message and before the row is marked sent sends it again: the receiver
/// must drop the repeat by the row's idempotency key (an email's Message-ID), or the handler must have recorded
/// the delivery itself (a ticket card's activity id, see <c>AdvisorDelivery</c>).
/// </remarks>
public sealed partial class OutboxProcessor(
    IDbContextFactory<BotDbContext> dbFactory,
    IEnumerable<IOutboxHandler> handlers,
    IEnumerable<IOutboxFailureRecorder> failureRecorders,
    DeliveryCheckpoints checkpoints,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxProcessor> logger,
    Telemetry.BotMetrics metrics)
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
            await FailedAttemptAsync(db, message, ex, cancellationToken);
            return false;
        }

        checkpoints.Pass(DeliveryCheckpoint.Delivered, message.IdempotencyKey);
        var sentAt = time.GetUtcNow();
        await db.Outbox.Where(m => m.Id == id && m.LeaseOwner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.SentAt, sentAt).SetProperty(m => m.Attempts, message.Attempts + 1).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null), cancellationToken);
        LogSent(logger, message.Kind, id);
        metrics.OutboxSent(message.Kind);
        return true;
    }

    /// <summary>
    /// Schedules the next attempt after a failure, or gives the message up: after <see cref="OutboxOptions.MaxPermanentAttempts"/>
    /// permanent refusals, or when a failure for now comes <see cref="OutboxOptions.GiveUpAfter"/> after the row was written.
    /// </summary>
    private async Task FailedAttemptAsync(BotDbContext db, OutboxMessage message, Exception ex, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var attempts = message.Attempts + 1;
        var permanent = ex is OutboxPermanentFailureException;
        var refusals = message.PermanentFailures + (permanent ? 1 : 0);
        var error = ex switch
        {
            OutboxRetryException retry => retry.Reason,
            OutboxPermanentFailureException refused => refused.Reason,
            _ => ex.GetType().Name,
        };
        var now = time.GetUtcNow();
        if (permanent ? refusals >= o.MaxPermanentAttempts : now - message.CreatedAt >= o.GiveUpAfter)
        {
            await GiveUpAsync(db, message, attempts, refusals, error, now, cancellationToken);
            return;
        }

        var backoff = Backoff(attempts, (ex as OutboxRetryException)?.RetryAfter);
        var next = now + backoff;
        await db.Outbox.Where(m => m.Id == message.Id && m.LeaseOwner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, attempts).SetProperty(m => m.PermanentFailures, refusals).SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.LastError, error), cancellationToken);
        LogSendFailed(logger, message.Kind, message.Id, attempts, error, backoff);
        metrics.OutboxFailed(message.Kind, givenUp: false);
    }

    /// <summary>Marks the message failed and lets the recorders note it where people see it, in one transaction.</summary>
    private async Task GiveUpAsync(BotDbContext db, OutboxMessage message, int attempts, int refusals, string error, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var marked = await db.Outbox.Where(m => m.Id == message.Id && m.LeaseOwner == _owner)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.FailedAt, now).SetProperty(m => m.Attempts, attempts).SetProperty(m => m.PermanentFailures, refusals).SetProperty(m => m.LeaseUntil, (DateTimeOffset?)null).SetProperty(m => m.LastError, error), cancellationToken);
        if (marked == 0)
        {
            return; // The lease ran out and another worker has the row now.
        }

        foreach (var recorder in failureRecorders)
        {
            await recorder.RecordAsync(db, message, error, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        LogGivenUp(logger, message.Kind, message.Id, attempts, error);
        metrics.OutboxFailed(message.Kind, givenUp: true);
    }

    /// <summary>
    /// Rows that may be sent now: neither sent nor given up, due, not leased, and first in their partition (an
    /// earlier row of the same partition that is still to be sent holds the later ones back, so a card is posted
    /// before it is updated; a row given up no longer does).
    /// </summary>
    private static IQueryable<OutboxMessage> Due(IQueryable<OutboxMessage> outbox, DateTimeOffset now) => outbox
        .Where(m => m.SentAt == null && m.FailedAt == null && m.NextAttemptAt <= now && (m.LeaseUntil == null || m.LeaseUntil < now))
        .Where(m => m.Partition == null || !outbox.Any(e => e.Partition == m.Partition && e.SentAt == null && e.FailedAt == null && e.Id < m.Id));

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

    [LoggerMessage(EventId = 7003, Level = LogLevel.Error, Message = "Outbox message {Id} ({Kind}) was given up after {Attempts} attempts ({Error}); it will not be sent.")]
    private static partial void LogGivenUp(ILogger logger, string kind, long id, int attempts, string error);
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
        builder.Services.AddOptions<OutboxOptions>().Bind(builder.Configuration.GetSection(OutboxOptions.SectionName))
            .Validate(o => o.MaxPermanentAttempts >= 1, "Outbox:MaxPermanentAttempts must be at least 1.")
            .Validate(o => o.GiveUpAfter > TimeSpan.Zero, "Outbox:GiveUpAfter must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<EmailOptions>().Bind(builder.Configuration.GetSection(EmailOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IEmailSender, EmailSender>();
        builder.Services.AddSingleton<IOutboxHandler, EmailOutboxHandler>();
        builder.Services.AddSingleton<OutboxProcessor>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<DeliveryCheckpoints>();
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

/// <summary>
/// A delivery the receiver refused in a way a repeat will not change: a Bot Connector's 400, 403, 404, 410 or 413,
/// an SMTP server's 5xx. It is tried again after the usual backoff up to <see cref="OutboxOptions.MaxPermanentAttempts"/>
/// times in all, then given up.
/// </summary>
public sealed class OutboxPermanentFailureException(string reason, Exception? inner = null) : Exception(reason, inner)
{
    /// <summary>A short reason without message content, e.g. "HTTP 403" or "SMTP 550".</summary>
    public string Reason { get; } = reason;
}

/// <summary>
/// Told when a message is given up, inside the transaction that marks it failed, so that the failure is recorded
/// where people look (a ticket's history) and not only in the log. It adds what it records to the context; the
/// processor saves and commits.
/// </summary>
public interface IOutboxFailureRecorder
{
    Task RecordAsync(BotDbContext db, OutboxMessage message, string reason, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>The points on a delivery's way at which a crash leaves a different trace behind.</summary>
public enum DeliveryCheckpoint
{
    /// <summary>A card post's intent is committed on its ticket; the request to the channel is not sent yet.</summary>
    CardPostIntentRecorded,

    /// <summary>
    /// The channel answered with the new card's ids and they are not committed yet: the one window in which a crash
    /// leaves a card the bot does not know (the next attempt posts a second one and counts it).
    /// </summary>
    CardPostAnswered,

    /// <summary>The card's ids are committed on its ticket; the outbox row is not marked sent yet.</summary>
    CardPostRecorded,

    /// <summary>The receiver took the message (a card, an update, an email); the outbox row is not marked sent yet.</summary>
    Delivered,
}

/// <summary>
/// Where a delivery passes its <see cref="DeliveryCheckpoint"/>s. Nothing listens in production (passing one is a null
/// check); the crash tests set <see cref="Reached"/> to stop the worker at a chosen point, as a crash there would.
/// </summary>
public sealed class DeliveryCheckpoints
{
    /// <summary>Called with the point and what passes it (a ticket number for a card post, else the row's idempotency key).</summary>
    public Action<DeliveryCheckpoint, string>? Reached { get; set; }

    public void Pass(DeliveryCheckpoint point, string subject) => Reached?.Invoke(point, subject);
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
