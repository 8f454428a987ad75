using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary><c>POST /api/messages</c>, the Bot Framework channel endpoint.</summary>
public static partial class BotMessagesEndpoint
{
    public const string Route = "/api/messages";

    public static IEndpointRouteBuilder MapBotMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, async (HttpContext http, IOptions<BotFrameworkOptions> options, IServiceProvider services, ILogger<BotMessagesAdapter> logger) =>
        {
            if (!options.Value.MessagesEndpointEnabled)
            {
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status404NotFound,
                    title: "Bot Framework endpoint disabled",
                    detail: "Configure MicrosoftAppId (with MicrosoftAppType and MicrosoftAppTenantId) to receive Azure Bot Service channels.").ExecuteAsync(http);
                return;
            }

            var adapter = services.GetRequiredService<BotMessagesAdapter>();
            try
            {
                await adapter.ProcessAsync(http.Request, http.Response, services.GetRequiredService<IBot>(), http.RequestAborted);
            }
            catch (SecurityTokenException ex) when (!http.Response.HasStarted)
            {
                // The SDK answers 401 only for its own checks; a token whose signature, lifetime or shape
                // the JWT library rejects surfaces as this exception. It is the same verdict: not a channel.
                LogTokenRejected(logger, ex.GetType().Name);
                await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid channel token").ExecuteAsync(http);
            }
        });
        return app;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "A request to /api/messages was refused: its channel token failed validation ({Reason}).")]
    private static partial void LogTokenRejected(ILogger logger, string reason);
}
