using System.Threading.RateLimiting;
using ExportCenter.Bot.Channels.BotFramework;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Conversation;
using ExportCenter.Bot.WebChat;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Hosting;

/// <summary>Service registration for the bot, its channels and the chat page.</summary>
public static class BotHostingExtensions
{
    /// <summary>The bot and the Bot Framework endpoint (<c>/api/messages</c>).</summary>
    public static IHostApplicationBuilder AddBotFramework(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddHttpClient();
        // The factory's own log lines hold every request's URL, and a connector's URL holds the conversation's
        // and activity's ids as the channel (or a crafted request) sent them: the outbox logs deliveries itself.
        builder.Services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());
        builder.Services.AddOptions<BotFrameworkOptions>()
            .Bind(builder.Configuration)
            .Configure(o => o.AllowUnauthenticatedMessages = builder.Configuration.GetValue<bool>("Bot:AllowUnauthenticatedMessages"))
            .Validate(o => string.IsNullOrEmpty(o.MicrosoftAppType) || BotFrameworkOptions.AppTypes.Contains(o.MicrosoftAppType, StringComparer.OrdinalIgnoreCase),
                $"MicrosoftAppType must be one of {string.Join(", ", BotFrameworkOptions.AppTypes)}.")
            .Validate(o => !string.Equals(o.MicrosoftAppType, "SingleTenant", StringComparison.OrdinalIgnoreCase) || !string.IsNullOrWhiteSpace(o.MicrosoftAppTenantId),
                "MicrosoftAppType SingleTenant needs MicrosoftAppTenantId.")
            .ValidateOnStart();
        builder.Services.AddSingleton<TurnErrorHandler>();
        builder.Services.AddSingleton<IAnswerFeedback, AnswerFeedbackStore>();
        builder.Services.AddSingleton<Insight.AnswerRecordBuffer>();
        builder.Services.AddSingleton<IAnswerRecords>(sp => sp.GetRequiredService<Insight.AnswerRecordBuffer>());
        builder.Services.AddHostedService<Insight.AnswerRecordWriter>();
        builder.Services.AddSingleton<Insight.InsightQueries>();
        builder.Services.AddSingleton<Privacy.PrivacyRequestStore>();
        builder.Services.AddSingleton<IPrivacyRequests>(sp => sp.GetRequiredService<Privacy.PrivacyRequestStore>());
        builder.Services.AddSingleton<Privacy.PrivacyService>();
        builder.Services.AddSingleton<ExportCenterConversation>();
        builder.Services.AddOptions<TurnOptions>().Bind(builder.Configuration.GetSection(TurnOptions.SectionName));
        builder.Services.AddOptions<TurnAdmissionOptions>().Bind(builder.Configuration.GetSection(TurnAdmissionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TurnAdmission>();
        builder.Services.AddSingleton<ExportCenterBot>();
        builder.Services.AddSingleton<IBot, SerialTurns>();
        builder.Services.AddOptions<BotMessagesRateLimits>()
            .Bind(builder.Configuration.GetSection(BotMessagesRateLimits.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<ChannelConversationLimiter>();
        builder.Services.AddSingleton<BotMessagesAdapter>();
        return builder;
    }

    /// <summary>The embedded Direct Line 3.0 channel, its CORS policy and its rate limits.</summary>
    public static IHostApplicationBuilder AddDirectLineChannel(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DirectLineOptions>()
            .Bind(builder.Configuration.GetSection(DirectLineOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.AllowedOrigins.All(a => Uri.TryCreate(a, UriKind.Absolute, out var u) && u.AbsolutePath == "/"),
                "DirectLine:AllowedOrigins entries must be origins such as https://www.example.se (no path).")
            .Validate(o => o.PublicBaseUrl is null || o.PublicBaseUrl.IsAbsoluteUri, "DirectLine:PublicBaseUrl must be an absolute URL.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ChannelKeyRing>();
        builder.Services.AddSingleton<ClientAddressKey>();
        builder.Services.AddSingleton<DirectLineTokenService>();
        builder.Services.AddSingleton<DirectLineStreamHub>();
        builder.Services.AddSingleton<DirectLineTokenLimits>();
        builder.Services.AddSingleton<DirectLineConversationStore>();
        builder.Services.AddSingleton<DirectLineActivities>();
        builder.Services.AddSingleton<EmbeddedConnectorHandler>();
        builder.Services.AddSingleton<EmbeddedChannelAdapter>();
        builder.Services.AddSingleton<EmbeddedBotDelivery>();
        builder.Services.AddSingleton<VisitorCookie>();

        var allowed = builder.Configuration.GetSection(DirectLineOptions.SectionName).Get<DirectLineOptions>()?.AllowedOrigins ?? [];
        builder.Services.AddCors(cors => cors.AddPolicy(DirectLineEndpoints.CorsPolicy, policy => policy
            .WithOrigins([.. allowed.Select(a => a.TrimEnd('/'))])
            .WithHeaders("Authorization", "Content-Type", "Accept", "x-ms-bot-agent", "x-requested-with")
            .WithMethods("GET", "POST", "OPTIONS")
            .AllowCredentials()
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(PerClientLimiter(), PerConversationLimiter());

            // The middleware's own default is 503, which stops Web Chat for good (docs/protocol.md §2).
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
                    ? after
                    : context.HttpContext.RequestServices.GetRequiredService<IOptions<DirectLineOptions>>().Value.RateLimits.Window;
                await DirectLineErrors.TooManyRequests(context.HttpContext, retryAfter).ExecuteAsync(context.HttpContext);
            };
        });
        return builder;
    }

    /// <summary>The chat page's settings and its Azure Direct Line token exchange.</summary>
    public static IHostApplicationBuilder AddWebChatPage(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebChatOptions>()
            .Bind(builder.Configuration.GetSection(WebChatOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHttpClient(ChatSessionEndpoints.AzureHttpClient, c => c.Timeout = TimeSpan.FromSeconds(10));
        return builder;
    }

    private static PartitionedRateLimiter<HttpContext> PerClientLimiter() => PartitionedRateLimiter.Create<HttpContext, string>(http =>
    {
        var kind = http.GetEndpoint()?.Metadata.GetMetadata<DirectLineRateLimit>()?.Kind;
        if (kind is null)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = http.RequestServices.GetRequiredService<IOptions<DirectLineOptions>>().Value.RateLimits;

        // The address is the client's once trusted forwarded headers are applied (first in the pipeline), counted as
        // ClientAddressKey counts it (an IPv6 address by its /64) and held only as that opaque key.
        var client = http.RequestServices.GetRequiredService<ClientAddressKey>().For(http.Connection.RemoteIpAddress) ?? "unknown";
        var permits = kind == DirectLineRateLimitKind.Token ? limits.TokensPerClient : limits.PostsPerClient;
        return RateLimitPartition.GetFixedWindowLimiter($"{kind}:{client}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = limits.Window,
            QueueLimit = 0,
        });
    });

    private static PartitionedRateLimiter<HttpContext> PerConversationLimiter() => PartitionedRateLimiter.Create<HttpContext, string>(http =>
    {
        var kind = http.GetEndpoint()?.Metadata.GetMetadata<DirectLineRateLimit>()?.Kind;
        if (kind != DirectLineRateLimitKind.Post || http.GetRouteValue("conversationId") is not string conversationId)
        {
            return RateLimitPartition.GetNoLimiter(string.Empty);
        }

        var limits = http.RequestServices.GetRequiredService<IOptions<DirectLineOptions>>().Value.RateLimits;
        return RateLimitPartition.GetFixedWindowLimiter($"conversation:{conversationId}", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.PostsPerConversation,
            Window = limits.Window,
            QueueLimit = 0,
        });
    });
}
