using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// The embedded Direct Line 3.0 channel's client routes under <c>/v3/directline</c>, as Web Chat's
/// DirectLineJS client calls them: token refresh, start, reconnect, get activities (polling), post
/// activity and the WebSocket stream.
/// </summary>
public static partial class DirectLineEndpoints
{
    public const string CorsPolicy = "directline";
    public const string RoutePrefix = "/v3/directline";

    public static IEndpointRouteBuilder MapDirectLine(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(RoutePrefix).RequireCors(CorsPolicy);
        var bearer = new DirectLineTokenFilter(acceptQueryToken: false);
        var refreshes = new DirectLineTokenLimitFilter(DirectLineTokenLimitKind.Refresh);
        group.MapPost("/tokens/refresh", RefreshToken).AddEndpointFilter(bearer).AddEndpointFilter(refreshes);
        group.MapPost("/conversations", StartConversation).AddEndpointFilter(bearer).AddEndpointFilter(refreshes);
        group.MapGet("/conversations/{conversationId}", Reconnect).AddEndpointFilter(bearer).AddEndpointFilter(refreshes);
        group.MapGet("/conversations/{conversationId}/activities", GetActivities).AddEndpointFilter(bearer)
            .AddEndpointFilter(new DirectLineTokenLimitFilter(DirectLineTokenLimitKind.Read));
        group.MapPost("/conversations/{conversationId}/activities", PostActivity).AddEndpointFilter(bearer)
            .WithMetadata(new DirectLineRateLimit(DirectLineRateLimitKind.Post));
        group.MapPost("/conversations/{conversationId}/upload", (string conversationId) =>
            DirectLineErrors.BadRequest("This channel does not accept file uploads."));

        // The stream URL carries its token in the query: a WebSocket request from a browser cannot set headers.
        group.MapGet("/conversations/{conversationId}/stream", Stream).AddEndpointFilter(new DirectLineTokenFilter(acceptQueryToken: true))
            .AddEndpointFilter(new DirectLineStreamCapFilter());
        return app;
    }

    private static async Task<IResult> RefreshToken(HttpContext http, DirectLineTokenService tokens, DirectLineConversationStore store, CancellationToken ct)
    {
        var auth = DirectLineCaller.Of(http);

        var issued = tokens.Issue(auth.Conversation.Id, auth.Conversation.UserId, auth.Actor, auth.Session, auth.SessionEnds);
        return TypedResults.Ok(new ConversationResponse(auth.Conversation.Id, issued.Token, issued.ExpiresInSeconds, null));
    }

    private static async Task<IResult> StartConversation(
        HttpContext http,
        DirectLineTokenService tokens,
        DirectLineConversationStore store,
        DirectLineActivities activities,
        EmbeddedBotDelivery delivery,
        TimeProvider time,
        ILoggerFactory loggers,
        IOptions<DirectLineOptions> options,
        CancellationToken ct)
    {
        var auth = DirectLineCaller.Of(http);

        var (body, bodyError) = await ReadJsonBodyAsync(http.Request, options.Value.MaxActivityBytes, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var conversation = auth.Conversation!;
        var locale = body is JsonObject start && start["locale"] is JsonValue l && l.TryGetValue<string>(out var s) && s.Length <= 35 ? s : null;
        var firstStart = await store.MarkStartedAsync(conversation.Id, locale, ct);
        if (firstStart)
        {
            try
            {
                await delivery.DeliverAsync(activities.ConversationStarted(conversation, locale, time.GetUtcNow()), clientKey: null, ct);
            }
            catch (Exception ex)
            {
                // The conversation exists and the client can talk; only the greeting is missing.
                LogStartDeliveryFailed(loggers.CreateLogger(typeof(DirectLineEndpoints)), ex);
            }
        }

        var issued = tokens.Issue(conversation.Id, conversation.UserId, auth.Actor, auth.Session, auth.SessionEnds);
        var response = new ConversationResponse(conversation.Id, issued.Token, issued.ExpiresInSeconds, StreamUrl(http, options.Value, conversation.Id, issued.Token, watermark: null));
        return firstStart ? TypedResults.Created((string?)null, response) : TypedResults.Ok(response);
    }

    private static async Task<IResult> Reconnect(string conversationId, string? watermark, HttpContext http, DirectLineTokenService tokens, DirectLineConversationStore store, IOptions<DirectLineOptions> options, CancellationToken ct)
    {
        var auth = DirectLineCaller.Of(http);

        if (!TryParseWatermark(watermark, out var from))
        {
            return DirectLineErrors.BadRequest("The watermark is not one this channel issued.");
        }

        var issued = tokens.Issue(conversationId, auth.Conversation.UserId, auth.Actor, auth.Session, auth.SessionEnds);
        return TypedResults.Ok(new ConversationResponse(conversationId, issued.Token, issued.ExpiresInSeconds, StreamUrl(http, options.Value, conversationId, issued.Token, from)));
    }

    private static async Task<IResult> GetActivities(string conversationId, string? watermark, HttpContext http, DirectLineTokenService tokens, DirectLineConversationStore store, IOptions<DirectLineOptions> options, CancellationToken ct)
    {
        var auth = DirectLineCaller.Of(http);

        if (!TryParseWatermark(watermark, out var from))
        {
            return DirectLineErrors.BadRequest("The watermark is not one this channel issued.");
        }

        var page = await store.GetAfterAsync(conversationId, from ?? 0, options.Value.MaxActivitiesPerGet, ct);
        var next = page.Count > 0 ? page[^1].Sequence : from ?? 0;
        return TypedResults.Text(DirectLineActivities.ActivitySet(page.Select(a => a.Json), next), "application/json", Encoding.UTF8);
    }

    private static async Task<IResult> PostActivity(
        string conversationId,
        HttpContext http,
        DirectLineTokenService tokens,
        DirectLineConversationStore store,
        DirectLineActivities activities,
        EmbeddedBotDelivery delivery,
        ClientAddressKey clientKeys,
        IDirectLineStreamSignals streams,
        TimeProvider time,
        ILoggerFactory loggers,
        IOptions<DirectLineOptions> options,
        CancellationToken ct)
    {
        var auth = DirectLineCaller.Of(http);

        var (body, bodyError) = await ReadJsonBodyAsync(http.Request, options.Value.MaxActivityBytes, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }

        var activity = DirectLineActivities.ReadClientActivity(body, out var rejection);
        if (activity is null)
        {
            return DirectLineErrors.Rejected(rejection!);
        }

        var conversation = auth.Conversation!;
        if (activity["type"]!.GetValue<string>() == "typing")
        {
            // Shown to other open streams of the conversation; neither stored nor sent to the bot.
            var typingId = conversationId + "|typing-" + Guid.NewGuid().ToString("N");
            activities.CompleteFromUser(activity, conversation, typingId, time.GetUtcNow(), auth.Actor);
            streams.Publish(conversationId, activity);
            return TypedResults.Ok(new ResourceResponse(typingId));
        }

        // Past the bot's capacity the client is told to send again shortly; nothing is stored, so nothing is lost.
        using var place = await http.RequestServices.GetRequiredService<Conversation.TurnAdmission>().EnterAsync(ct);
        if (!place.IsAcquired)
        {
            return DirectLineErrors.TooManyRequests(http, http.RequestServices.GetRequiredService<Conversation.TurnAdmission>().RetryAfter);
        }

        var id = await store.AppendAsync(conversationId, activity, (a, newId, at) => activities.CompleteFromUser(a, conversation, newId, at, auth.Actor), ct);
        if (id is null)
        {
            return DirectLineErrors.NotFound("Unknown conversation.");
        }

        try
        {
            await delivery.DeliverAsync(activity, clientKeys.For(http.Connection.RemoteIpAddress), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The user's message is stored and echoed; the bot failed beyond its own error handler.
            LogBotDeliveryFailed(loggers.CreateLogger(typeof(DirectLineEndpoints)), ex);
            return DirectLineErrors.BotFailed();
        }

        return TypedResults.Ok(new ResourceResponse(id));
    }

    private static async Task Stream(string conversationId, string? watermark, HttpContext http, DirectLineConversationStore store, DirectLineStreamHub hub, TimeProvider time, IOptions<DirectLineOptions> options, CancellationToken ct)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await DirectLineErrors.BadRequest("The stream URL needs a WebSocket request.").ExecuteAsync(http);
            return;
        }

        if (!TryParseWatermark(watermark, out var from))
        {
            await DirectLineErrors.BadRequest("The watermark is not one this channel issued.").ExecuteAsync(http);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var stream = new DirectLineSocketSession(socket, conversationId, from ?? 0, DirectLineCaller.Of(http), http.RequestServices.GetService<IDirectLineActorCheck>(), store, hub, options.Value, time);
        await stream.RunAsync(http.RequestAborted);
    }

    internal static async Task<(IResult? Error, DirectLineCaller? Caller)> AuthorizeAsync(HttpContext http, DirectLineTokenService tokens, DirectLineConversationStore store, string? routeConversationId, CancellationToken ct, string? queryToken = null)
    {
        var token = queryToken;
        var header = http.Request.Headers.Authorization.ToString();
        if (token is null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }

        var check = tokens.Validate(token);
        switch (check.Status)
        {
            case TokenStatus.Missing:
                return (DirectLineErrors.Unauthorized("A Direct Line token is required (Authorization: Bearer <token>)."), null);
            case TokenStatus.Invalid:
                return (DirectLineErrors.Unauthorized("The token is not valid."), null);
            case TokenStatus.Expired:
                return (DirectLineErrors.TokenExpired(), null);
        }

        var conversationId = routeConversationId ?? check.ConversationId!;
        var conversation = await store.FindAsync(conversationId, ct);
        if (conversation is null)
        {
            return (DirectLineErrors.NotFound("Unknown conversation."), null);
        }

        if (!string.Equals(conversation.Id, check.ConversationId, StringComparison.Ordinal) || !string.Equals(conversation.UserId, check.UserId, StringComparison.Ordinal))
        {
            return (DirectLineErrors.Forbidden("The token is for another conversation."), null);
        }

        DateTimeOffset? sessionEnds = null;
        if (check.Actor is not null)
        {
            // An advisor's token works only while its page session lives: sign-out, a new password, the end of
            // the session or a deactivation stops it at its next use.
            sessionEnds = http.RequestServices.GetService<IDirectLineActorCheck>() is { } actors ? await actors.SessionEndsAsync(check.Actor, check.Session, ct) : null;
            if (sessionEnds is null)
            {
                return (DirectLineErrors.Forbidden("This sign-in is no longer valid."), null);
            }
        }

        return (null, new DirectLineCaller(conversation, check.Actor, check.Session, sessionEnds));
    }

    private static async Task<(JsonNode? Body, IResult? Error)> ReadJsonBodyAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var body = await ClientJson.ReadAsync(request, maxBytes, ct);
        return body.Rejection is null ? (body.Json, null) : (null, DirectLineErrors.Rejected(body.Rejection));
    }

    /// <summary>Watermarks are the decimal sequence numbers this channel hands out; empty or "-" means from the start.</summary>
    private static bool TryParseWatermark(string? watermark, out long? sequence)
    {
        sequence = null;
        if (string.IsNullOrEmpty(watermark) || watermark == "-")
        {
            return true;
        }

        if (long.TryParse(watermark, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            sequence = value;
            return true;
        }

        return false;
    }

    private static string StreamUrl(HttpContext http, DirectLineOptions options, string conversationId, string token, long? watermark)
    {
        var baseUrl = PublicBaseUrl(http, options);
        var ws = new UriBuilder(baseUrl) { Scheme = baseUrl.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" };
        ws.Path = ws.Path.TrimEnd('/') + RoutePrefix + "/conversations/" + Uri.EscapeDataString(conversationId) + "/stream";
        ws.Query = "watermark=" + (watermark?.ToString(CultureInfo.InvariantCulture) ?? "-") + "&t=" + Uri.EscapeDataString(token);
        return ws.Uri.AbsoluteUri;
    }

    /// <summary>The configured public base URL, or the one the request came in on.</summary>
    public static Uri PublicBaseUrl(HttpContext http, DirectLineOptions options) =>
        options.PublicBaseUrl ?? new Uri($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");

    private sealed record ResourceResponse(string Id);

    private sealed record ConversationResponse(
        string ConversationId,
        string Token,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? StreamUrl);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Error, Message = "The bot failed to greet a new embedded Direct Line conversation.")]
    private static partial void LogStartDeliveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Error, Message = "The bot failed on an activity from the embedded Direct Line channel.")]
    private static partial void LogBotDeliveryFailed(ILogger logger, Exception exception);
}

/// <summary>Marks an endpoint for the channel's rate limits.</summary>
public sealed record DirectLineRateLimit(DirectLineRateLimitKind Kind);

/// <summary>Tells whether the actor named in a token (a signed-in advisor) may still act, in which session.</summary>
public interface IDirectLineActorCheck
{
    /// <summary>When the actor's session ends at the latest, or null when it is over (or never was).</summary>
    Task<DateTimeOffset?> SessionEndsAsync(string actor, string? session, CancellationToken cancellationToken);
}

public enum DirectLineRateLimitKind
{
    Token,
    Post,
}
