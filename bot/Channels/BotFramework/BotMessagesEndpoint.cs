using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary><c>POST /api/messages</c>, the Bot Framework channel endpoint.</summary>
public static class BotMessagesEndpoint
{
    public const string Route = "/api/messages";

    public static IEndpointRouteBuilder MapBotMessages(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, async (HttpContext http, IOptions<BotFrameworkOptions> options, IServiceProvider services) =>
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
            await adapter.ProcessAsync(http.Request, http.Response, services.GetRequiredService<IBot>(), http.RequestAborted);
        });
        return app;
    }
}
