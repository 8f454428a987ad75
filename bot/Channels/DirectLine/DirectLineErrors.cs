namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// Direct Line error answers: the status codes Web Chat's client acts on (401 bad token, 403 expired or
/// foreign token, 404 unknown conversation) with the protocol's <c>{"error":{"code","message"}}</c> body.
/// The channel never answers 5xx to a client request it could judge, because the client then silently
/// stops polling for good.
/// </summary>
public static class DirectLineErrors
{
    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, "BadArgument", message);

    public static IResult Unauthorized(string message) => Error(StatusCodes.Status401Unauthorized, "Unauthorized", message);

    public static IResult TokenExpired() => Error(StatusCodes.Status403Forbidden, "TokenExpired", "The token has expired; get a new one from the chat page.");

    public static IResult Forbidden(string message) => Error(StatusCodes.Status403Forbidden, "Forbidden", message);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, "NotFound", message);

    /// <summary>A body the channel's edge refused (400 with the reason's code, 413 when too large).</summary>
    public static IResult Rejected(ActivityRejection rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        return Error(rejection.Status, rejection.Code, rejection.Message);
    }

    /// <summary>
    /// 429 with <c>Retry-After</c> in whole seconds: how the channel sheds load. Web Chat waits and retries a post,
    /// a refresh or a reconnect; a 503 would stop it for good.
    /// </summary>
    public static IResult TooManyRequests(HttpContext http, TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(StatusCodes.Status429TooManyRequests, "TooManyRequests", "Too many requests; wait a moment and try again.");
    }

    public static IResult BotFailed() => Error(StatusCodes.Status502BadGateway, "BotError", "The bot could not process the activity.");

    public static IResult Error(int status, string code, string message) =>
        TypedResults.Json(new ErrorResponse(new ErrorBody(code, message)), statusCode: status);

    public sealed record ErrorResponse(ErrorBody Error);

    public sealed record ErrorBody(string Code, string Message);
}
