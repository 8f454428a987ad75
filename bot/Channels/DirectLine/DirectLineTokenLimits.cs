using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>What a route limited per token counts (<see cref="DirectLineRateLimits"/>).</summary>
public enum DirectLineTokenLimitKind
{
    /// <summary>Token refresh, start and reconnect: each hands out a new token.</summary>
    Refresh,

    /// <summary>GET activities.</summary>
    Read,
}

/// <summary>
/// The channel's limits per token: fixed windows for refreshes and reads, and how many streams may be open at once.
/// They are counted after the token check, so only the token's holder spends them, and not per client address,
/// since many visitors behind one office's address each poll and refresh on their own. A token counts as its
/// conversation, user and advisor (if any): the new token a refresh or reconnect hands out keeps the count, and each
/// advisor in the shared advisors' conversation has a count of its own. Counts live in this process.
/// </summary>
public sealed class DirectLineTokenLimits : IDisposable
{
    private readonly IOptions<DirectLineOptions> _options;
    private readonly PartitionedRateLimiter<(DirectLineTokenLimitKind Kind, string Token)> _windows;
    private readonly Dictionary<string, int> _openStreams = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public DirectLineTokenLimits(IOptions<DirectLineOptions> options)
    {
        _options = options;
        _windows = PartitionedRateLimiter.Create<(DirectLineTokenLimitKind Kind, string Token), (DirectLineTokenLimitKind Kind, string Token)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = k.Kind == DirectLineTokenLimitKind.Read ? options.Value.RateLimits.ReadsPerToken : options.Value.RateLimits.RefreshesPerToken,
                Window = options.Value.RateLimits.Window,
                QueueLimit = 0,
            }));
    }

    /// <summary>Takes one permit for the caller's token; a refused lease tells when a permit is free again.</summary>
    public RateLimitLease Acquire(DirectLineTokenLimitKind kind, DirectLineCaller caller) => _windows.AttemptAcquire((kind, TokenKey(caller)));

    /// <summary>Counts one more open stream for the caller's token; null when the token has its most already.</summary>
    public IDisposable? TryOpenStream(DirectLineCaller caller)
    {
        var key = TokenKey(caller);
        lock (_gate)
        {
            var open = _openStreams.GetValueOrDefault(key);
            if (open >= _options.Value.RateLimits.StreamsPerToken)
            {
                return null;
            }

            _openStreams[key] = open + 1;
        }

        return new StreamSlot(this, key);
    }

    /// <summary>How long a refused caller is told to wait when the limiter does not say: one window.</summary>
    public TimeSpan Window => _options.Value.RateLimits.Window;

    public void Dispose() => _windows.Dispose();

    private void Close(string key)
    {
        lock (_gate)
        {
            var open = _openStreams.GetValueOrDefault(key) - 1;
            if (open <= 0)
            {
                _openStreams.Remove(key);
            }
            else
            {
                _openStreams[key] = open;
            }
        }
    }

    // The ids are the channel's own random ones; a newline cannot occur in them, so no two tokens share a key.
    private static string TokenKey(DirectLineCaller caller) =>
        caller.Conversation.Id + "\n" + caller.Conversation.UserId + "\n" + caller.Actor;

    private sealed class StreamSlot(DirectLineTokenLimits owner, string key) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                owner.Close(key);
            }
        }
    }
}

/// <summary>
/// Runs after the token filter on the routes limited per token: over the limit the answer is 429 with
/// <c>Retry-After</c>, never a 5xx, which would stop Web Chat for good (docs/protocol.md §2).
/// </summary>
public sealed class DirectLineTokenLimitFilter(DirectLineTokenLimitKind kind) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var limits = http.RequestServices.GetRequiredService<DirectLineTokenLimits>();
        using var lease = limits.Acquire(kind, DirectLineCaller.Of(http));
        if (!lease.IsAcquired)
        {
            return DirectLineErrors.TooManyRequests(http, lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : limits.Window);
        }

        return await next(context);
    }
}

/// <summary>
/// Runs after the token filter on the stream route: holds one of the token's stream places while the socket is
/// open, and refuses the upgrade with 429 and <c>Retry-After</c> (one window) when the token has none left.
/// </summary>
public sealed class DirectLineStreamCapFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var limits = http.RequestServices.GetRequiredService<DirectLineTokenLimits>();
        using var slot = limits.TryOpenStream(DirectLineCaller.Of(http));
        if (slot is null)
        {
            return DirectLineErrors.TooManyRequests(http, limits.Window);
        }

        return await next(context);
    }
}
