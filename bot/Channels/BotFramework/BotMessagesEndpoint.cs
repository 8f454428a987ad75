using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Newtonsoft.Json;

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

            var (activity, rejection) = await CheckActivityAsync(http.Request, http.RequestAborted);
            if (rejection is not null)
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

            // The turn takes the activity read above, as the SDK's ProcessAsync would read it again from the body.
            var adapter = services.GetRequiredService<BotMessagesAdapter>();
            try
            {
                var bot = services.GetRequiredService<IBot>();
                var invokeResponse = await adapter.ProcessActivityAsync(http.Request.Headers.Authorization.ToString(), activity!, bot, http.RequestAborted);
                await HttpHelper.WriteResponseAsync(http.Response, invokeResponse);
            }
            catch (UnauthorizedAccessException) when (!http.Response.HasStarted)
            {
                // The SDK's own verdict on the token (issuer, audience, endorsement, service URL).
                LogTokenRejected(logger, nameof(UnauthorizedAccessException));
                await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid channel token").ExecuteAsync(http);
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
    /// Checks the activity at the edge, before the SDK authenticates it and runs the turn, and reads it for the turn as
    /// the SDK reads a request (<see cref="HttpHelper.BotMessageSerializer"/>). Besides the schema
    /// (<see cref="ActivitySchema"/>), a channel's activity needs the service URL the bot answers at and the channel's id
    /// (the SDK skips the token's serviceurl and endorsement checks when they are empty, then fails building the
    /// connector or the state's key) and the conversation's id.
    /// </summary>
    private static async Task<(Activity? Activity, ActivityRejection? Rejection)> CheckActivityAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var body = await ClientJson.ReadAsync(request, MaxActivityBytes, cancellationToken);
        if (body.Rejection is not null)
        {
            return (null, body.Rejection);
        }

        if (body.Json is not JsonObject json)
        {
            return (null, ActivityRejection.NotAnActivity);
        }

        var rejection = ActivitySchema.Check(json, () => Read(body.Utf8), out var activity)
            ?? (json["serviceUrl"] is null ? ActivityRejection.Missing("serviceUrl")
                : !IsHttpUrl(json["serviceUrl"]!.GetValue<string>()) ? ActivityRejection.BadUrl("serviceUrl")
                : json["channelId"] is null ? ActivityRejection.Missing("channelId")
                : json["conversation"]?["id"] is null ? ActivityRejection.Missing("conversation.id")
                : null);
        return rejection is null ? (activity, null) : (null, rejection);
    }

    private static Activity Read(byte[] utf8)
    {
        using var reader = new JsonTextReader(new StreamReader(new MemoryStream(utf8, writable: false), Encoding.UTF8));
        return HttpHelper.BotMessageSerializer.Deserialize<Activity>(reader)
            ?? throw new JsonSerializationException("The body is not an activity.");
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
