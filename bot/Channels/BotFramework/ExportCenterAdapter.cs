using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// What every adapter of the bot shares: the one turn-error handler, the registered bot middleware, and
/// connector clients that share one contract resolver (see <see cref="SharedContractResolverAuthentication"/>).
/// Bot Builder logs under its own categories (Microsoft.Bot.*), so its per-turn Information entries follow the
/// Microsoft.Bot log level (Warning in appsettings.json) instead of the bot's own.
/// </summary>
public abstract class ExportCenterAdapter : CloudAdapter
{
    protected ExportCenterAdapter(
        BotFrameworkAuthentication authentication,
        TurnErrorHandler turnErrors,
        IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware,
        ILoggerFactory loggers)
        : base(new SharedContractResolverAuthentication(authentication), BotBuilderLogger(loggers))
    {
        ArgumentNullException.ThrowIfNull(turnErrors);
        ArgumentNullException.ThrowIfNull(middleware);
        OnTurnError = turnErrors.HandleAsync;
        foreach (var m in middleware)
        {
            Use(m);
        }
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
