using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// What every adapter of the bot shares: the one turn-error handler, the registered bot middleware, and
/// connector clients that share one contract resolver (see <see cref="SharedContractResolverAuthentication"/>).
/// </summary>
public abstract class ExportCenterAdapter : CloudAdapter
{
    protected ExportCenterAdapter(
        BotFrameworkAuthentication authentication,
        TurnErrorHandler turnErrors,
        IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware,
        ILogger logger)
        : base(new SharedContractResolverAuthentication(authentication), logger)
    {
        ArgumentNullException.ThrowIfNull(turnErrors);
        ArgumentNullException.ThrowIfNull(middleware);
        OnTurnError = turnErrors.HandleAsync;
        foreach (var m in middleware)
        {
            Use(m);
        }
    }
}
