namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>The conversation a valid Direct Line token opened, and the signed-in advisor (and page session) it names, if any.</summary>
public sealed record DirectLineCaller(DirectLineConversation Conversation, string? Actor, string? Session = null, DateTimeOffset? SessionEnds = null)
{
    private static readonly object Key = new();

    /// <summary>The caller the token filter let through for this request.</summary>
    public static DirectLineCaller Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[Key] as DirectLineCaller ?? throw new InvalidOperationException("The Direct Line token filter did not run for this endpoint.");
    }

    internal void AttachTo(HttpContext http) => http.Items[Key] = this;
}

/// <summary>
/// Checks the Direct Line token of every request before its handler runs: present, signed, not expired, for
/// the conversation in the route (and its user), and, for an advisor's token, a page session that is still live.
/// A failed check answers 401, 403 or 404 in the channel's error format and the handler never runs.
/// </summary>
public sealed class DirectLineTokenFilter(bool acceptQueryToken) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var queryToken = acceptQueryToken && http.Request.Query.TryGetValue("t", out var t) ? t.ToString() : null;
        var (error, caller) = await DirectLineEndpoints.AuthorizeAsync(
            http,
            http.RequestServices.GetRequiredService<DirectLineTokenService>(),
            http.RequestServices.GetRequiredService<DirectLineConversationStore>(),
            http.Request.RouteValues.TryGetValue("conversationId", out var id) ? id as string : null,
            http.RequestAborted,
            queryToken);
        if (error is not null)
        {
            return error;
        }

        caller!.AttachTo(http);
        return await next(context);
    }
}
