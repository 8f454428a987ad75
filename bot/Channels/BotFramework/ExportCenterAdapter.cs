using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// What every adapter of the bot shares: the one turn-error handler, the registered bot middleware, connector
/// clients that share one contract resolver (see <see cref="SharedContractResolverAuthentication"/>), and a log
/// in Bot Builder's own categories (Microsoft.Bot.*) without its per-turn traces, which carry client-chosen ids
/// (<see cref="SdkLogFilter"/> lets only its warnings and errors through).
/// </summary>
public abstract class ExportCenterAdapter : CloudAdapter
{
    protected ExportCenterAdapter(
        BotFrameworkAuthentication authentication,
        TurnErrorHandler turnErrors,
        IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware,
        ILoggerFactory loggers)
        : base(new SharedContractResolverAuthentication(authentication), new SdkLogFilter(BotBuilderLogger(loggers)))
    {
        ArgumentNullException.ThrowIfNull(turnErrors);
        ArgumentNullException.ThrowIfNull(middleware);
        OnTurnError = turnErrors.HandleAsync;
        foreach (var m in middleware)
        {
            Use(m);
        }
    }

    /// <summary>
    /// A connector client for one call the bot makes on its own to a channel's Bot Connector, outside any turn (the
    /// caller disposes it). Unlike the adapter's CreateConversationAsync, the connector's answer comes straight back
    /// to the caller, with no turn pipeline run in between and no turn-error handler that would answer into the channel.
    /// </summary>
    public Task<IConnectorClient> CreateConnectorClientAsync(string botAppId, string serviceUrl, string audience, CancellationToken cancellationToken)
    {
        var identity = CreateClaimsIdentity(botAppId);
        identity.AddClaim(new System.Security.Claims.Claim(AuthenticationConstants.ServiceUrlClaim, serviceUrl));
        return BotFrameworkAuthentication.CreateConnectorFactory(identity).CreateAsync(serviceUrl, audience, cancellationToken);
    }

    /// <summary>The logger Bot Builder's adapter writes to, in its own category.</summary>
    protected static ILogger BotBuilderLogger(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return loggers.CreateLogger<CloudAdapter>();
    }

    /// <summary>The logger Bot Builder's channel authentication writes to, in its own category.</summary>
    protected static ILogger AuthenticationLogger(ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(loggers);
        return loggers.CreateLogger<BotFrameworkAuthentication>();
    }
}
