using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Conversation;

/// <summary>How many turns run at once, and how many may wait for one (section "Bot:Admission").</summary>
public sealed class TurnAdmissionOptions
{
    public const string SectionName = "Bot:Admission";

    /// <summary>Turns that run at the same time, over all conversations and both channel edges.</summary>
    [Range(1, 10_000)]
    public int MaxConcurrentTurns { get; set; } = 32;

    /// <summary>Turns that may wait for a place; one more is turned away at once.</summary>
    [Range(0, 100_000)]
    public int QueueLength { get; set; } = 512;

    /// <summary>
    /// The longest a turn waits for a place; then it is turned away as if the queue were full. This, not the queue's
    /// length, is what bounds the wait: a load the bot can work off within it is served, a larger one is refused early.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>What the refusal tells the channel to wait before it sends again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Lets a bounded number of turns run at once and a bounded number wait. Past that the bot sheds load at the
/// door, before anything is stored or run, so a busy bot answers "come back in a second" (429 on the Direct Line
/// routes, 503 on <c>/api/messages</c>, both with <c>Retry-After</c>) instead of making every turn slower until
/// they all time out.
/// </summary>
public sealed class TurnAdmission : IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly TimeSpan _maxWait;

    public TurnAdmission(IOptions<TurnAdmissionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RetryAfter = options.Value.RetryAfter;
        _maxWait = options.Value.MaxWait;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrentTurns,
            QueueLimit = options.Value.QueueLength,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>What a refusal asks the caller to wait.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>The <c>Retry-After</c> header value of a refusal, in whole seconds.</summary>
    public string RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Turns waiting for a place now.</summary>
    public long Waiting => _limiter.GetStatistics()?.CurrentQueuedCount ?? 0;

    /// <summary>
    /// A place for one turn, waiting in the queue if need be (at most <see cref="TurnAdmissionOptions.MaxWait"/>); dispose
    /// it when the turn is over. Check <see cref="RateLimitLease.IsAcquired"/>.
    /// </summary>
    public async ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken)
    {
        var free = _limiter.AttemptAcquire(1);
        if (free.IsAcquired)
        {
            return free;
        }

        free.Dispose();
        using var waited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waited.CancelAfter(_maxWait);
        try
        {
            return await _limiter.AcquireAsync(1, waited.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Refused.Instance;
        }
    }

    public void Dispose() => _limiter.Dispose();

    /// <summary>The answer to a turn that waited its longest.</summary>
    private sealed class Refused : RateLimitLease
    {
        public static readonly Refused Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
