using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Connector.Authentication;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// What every adapter of the bot shares: the one turn-error handler, the registered bot middleware, connector
/// clients that share one contract resolver (see <see cref="SharedContractResolverAuthentication"/>), and a log
/// without the SDK's traces of client-chosen ids (<see cref="SdkLogFilter"/>).
/// </summary>
public abstract class ExportCenterAdapter : CloudAdapter
{
    protected ExportCenterAdapter(
        BotFrameworkAuthentication authentication,
        TurnErrorHandler turnErrors,
        IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware,
        ILogger logger)
        : base(new SharedContractResolverAuthentication(authentication), new SdkLogFilter(logger))
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
