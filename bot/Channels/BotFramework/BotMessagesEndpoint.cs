using System.Text.Json.Nodes;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary><c>POST /api/messages</c>, the Bot Framework channel endpoint.</summary>
public static partial class BotMessagesEndpoint
{
    public const string Route = "/api/messages";

    /// <summary>
    /// The largest activity accepted. Channels send far less (Teams about 100 KB, Azure Direct Line 256K characters);
    /// the body is read whole to be checked before the SDK reads it again.
    /// </summary>
    public const int MaxActivityBytes = 1024 * 1024;

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

            if (await CheckActivityAsync(http.Request, http.RequestAborted) is { } rejection)
            {
                LogActivityRejected(logger, rejection.Code);
                await TypedResults.Problem(
                    statusCode: rejection.Status,
                    title: "Invalid activity",
                    detail: rejection.Message,
                    extensions: new Dictionary<string, object?> { ["code"] = rejection.Code }).ExecuteAsync(http);
                return;
            }

            // Past the bot's capacity the channel is told to come back shortly, before the turn starts (Azure retries a 503).
            using var place = await services.GetRequiredService<Conversation.TurnAdmission>().EnterAsync(http.RequestAborted);
            if (!place.IsAcquired)
            {
                LogShed(logger);
                http.Response.Headers.RetryAfter = services.GetRequiredService<Conversation.TurnAdmission>().RetryAfterSeconds;
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable,
                    title: "Busy",
                    detail: "The bot is at its capacity; send the activity again after Retry-After.",
                    extensions: new Dictionary<string, object?> { ["code"] = "Busy" }).ExecuteAsync(http);
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
            catch (ConversationRateLimitedException ex) when (!http.Response.HasStarted)
            {
                // Counted per channel and conversation after authentication: the caller is always Azure's address.
                LogConversationLimited(logger);
                http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(ex.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await TypedResults.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many activities",
                    detail: "This conversation sent more activities than the bot takes in a while; try again later.",
                    extensions: new Dictionary<string, object?> { ["code"] = "TooManyRequests" }).ExecuteAsync(http);
            }
        });
        return app;
    }

    /// <summary>
    /// Checks the activity at the edge, before the SDK authenticates it and runs the turn, and leaves the body for
    /// the SDK to read again. Besides the schema (<see cref="ActivitySchema"/>), a channel's activity needs the
    /// service URL the bot answers at and the channel's id (the SDK skips the token's serviceurl and endorsement
    /// checks when they are empty, then fails building the connector or the state's key) and the conversation's id.
    /// </summary>
    private static async Task<ActivityRejection?> CheckActivityAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ClientJson.ReadAsync(request, MaxActivityBytes, cancellationToken);
        request.Body = new MemoryStream(body.Utf8, writable: false);
        if (body.Rejection is not null)
        {
            return body.Rejection;
        }

        if (body.Json is not JsonObject activity)
        {
            return ActivityRejection.NotAnActivity;
        }

        return ActivitySchema.Check(activity)
            ?? (activity["serviceUrl"] is null ? ActivityRejection.Missing("serviceUrl")
                : !IsHttpUrl(activity["serviceUrl"]!.GetValue<string>()) ? ActivityRejection.BadUrl("serviceUrl")
                : activity["channelId"] is null ? ActivityRejection.Missing("channelId")
                : activity["conversation"]?["id"] is null ? ActivityRejection.Missing("conversation.id")
                : null);
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "A request to /api/messages was refused: its channel token failed validation ({Reason}).")]
    private static partial void LogTokenRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "A request to /api/messages was refused at the edge: {Code}.")]
    private static partial void LogActivityRejected(ILogger logger, string code);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "A request to /api/messages was refused: its conversation is past Bot:RateLimits.")]
    private static partial void LogConversationLimited(ILogger logger);

    /// <summary>Debug only: under overload this would otherwise write a line per refused activity.</summary>
    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "A request to /api/messages was refused: the bot is at its capacity (Bot:Admission).")]
    private static partial void LogShed(ILogger logger);
}
