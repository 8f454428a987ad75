using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.Bot.Builder.Skills;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// The limit on <c>/api/messages</c> (section "Bot:RateLimits"). Every request there comes from Azure Bot Service,
/// so the client address says nothing about who sent it: the limit counts per channel and conversation.
/// </summary>
public sealed class BotMessagesRateLimits
{
    public const string SectionName = "Bot:RateLimits";

    /// <summary>Activities one conversation of one channel may send per window.</summary>
    [Range(1, 100_000)]
    public int ActivitiesPerConversation { get; set; } = 60;

    /// <summary>Length of the fixed window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Counts the activities of each channel's conversation in fixed windows. Only activities with a valid channel token
/// are counted (see <see cref="ConversationLimitedAuthentication"/>), so nobody without one can spend a conversation's
/// budget by naming its id.
/// </summary>
public sealed class ChannelConversationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _windows;
    private readonly TimeSpan _window;

    public ChannelConversationLimiter(IOptions<BotMessagesRateLimits> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value;
        _window = limits.Window;
        _windows = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.ActivitiesPerConversation,
            Window = limits.Window,
            QueueLimit = 0,
        }));
    }

    /// <summary>Counts the activity; throws <see cref="ConversationRateLimitedException"/> past the limit.</summary>
    public void Admit(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);

        // Channel ids have no '|' (msteams, webchat, directline), so the key names one conversation of one channel.
        using var lease = _windows.AttemptAcquire(activity.ChannelId + "|" + activity.Conversation?.Id);
        if (!lease.IsAcquired)
        {
            throw new ConversationRateLimitedException(lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window);
        }
    }

    public void Dispose() => _windows.Dispose();
}

/// <summary>An authenticated activity came past its conversation's limit; the answer is 429 with <c>Retry-After</c>.</summary>
public sealed class ConversationRateLimitedException(TimeSpan retryAfter)
    : Exception("The conversation sent more activities than Bot:RateLimits allows.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// Authenticates as the inner authentication does, then counts the activity against its conversation's limit,
/// before the SDK builds the turn. This is the one place between the SDK's token check and the turn: the adapter's
/// turn pipeline would hand an exception to the turn-error handler, which tells the user that something failed.
/// </summary>
public sealed class ConversationLimitedAuthentication(BotFrameworkAuthentication inner, ChannelConversationLimiter limiter) : BotFrameworkAuthentication
{
    public override async Task<AuthenticateRequestResult> AuthenticateRequestAsync(Activity activity, string authHeader, CancellationToken cancellationToken)
    {
        var result = await inner.AuthenticateRequestAsync(activity, authHeader, cancellationToken);

        // Without credentials (the development switch Bot:AllowUnauthenticatedMessages) no activity carries a channel
        // token, so none is counted, as everywhere; the admission limit still bounds what the bot takes on.
        if (result.ClaimsIdentity?.AuthenticationType != AuthenticationConstants.AnonymousAuthType)
        {
            limiter.Admit(activity);
        }

        return result;
    }

    public override Task<AuthenticateRequestResult> AuthenticateStreamingRequestAsync(string authHeader, string channelIdHeader, CancellationToken cancellationToken) =>
        inner.AuthenticateStreamingRequestAsync(authHeader, channelIdHeader, cancellationToken);

    public override ConnectorFactory CreateConnectorFactory(ClaimsIdentity claimsIdentity) => inner.CreateConnectorFactory(claimsIdentity);

    public override Task<UserTokenClient> CreateUserTokenClientAsync(ClaimsIdentity claimsIdentity, CancellationToken cancellationToken) =>
        inner.CreateUserTokenClientAsync(claimsIdentity, cancellationToken);

    public override BotFrameworkClient CreateBotFrameworkClient() => inner.CreateBotFrameworkClient();

    public override string GetOriginatingAudience() => inner.GetOriginatingAudience();

    public override Task<ClaimsIdentity> AuthenticateChannelRequestAsync(string authHeader, CancellationToken cancellationToken) =>
        inner.AuthenticateChannelRequestAsync(authHeader, cancellationToken);
}
