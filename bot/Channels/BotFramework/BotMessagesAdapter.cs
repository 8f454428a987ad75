using Microsoft.Bot.Builder.Integration.AspNet.Core;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// The adapter behind <c>/api/messages</c>: Azure Bot Service (Web Chat through Azure Direct Line, and
/// Teams) calls it with signed channel tokens, validated from configuration
/// (<see cref="ConfigurationBotFrameworkAuthentication"/>), then counted per channel and conversation
/// (<see cref="ConversationLimitedAuthentication"/>).
/// </summary>
public sealed class BotMessagesAdapter(
    IConfiguration configuration,
    IHttpClientFactory httpClientFactory,
    ChannelConversationLimiter conversationLimiter,
    TurnErrorHandler turnErrors,
    IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware,
    ILoggerFactory loggers)
    : ExportCenterAdapter(
        new ConversationLimitedAuthentication(
            new ConfigurationBotFrameworkAuthentication(configuration, httpClientFactory: httpClientFactory, logger: AuthenticationLogger(loggers)),
            conversationLimiter),
        turnErrors,
        middleware,
        loggers)
{
    /// <summary>
    /// Authenticates the activity (the request's Authorization header) and runs its turn, as the SDK's ProcessAsync does
    /// after reading the body: the endpoint has read and checked the activity already.
    /// </summary>
    public Task<Microsoft.Bot.Builder.InvokeResponse> ProcessActivityAsync(string authHeader, Microsoft.Bot.Schema.Activity activity, Microsoft.Bot.Builder.IBot bot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bot);
        return ProcessActivityAsync(authHeader, activity, bot.OnTurnAsync, cancellationToken);
    }
}
