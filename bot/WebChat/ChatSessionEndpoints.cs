using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using ExportCenter.Bot.Channels.DirectLine;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.WebChat;

/// <summary>
/// The chat page's server-side token endpoint. The page never holds a secret: in embedded mode the server
/// issues a channel token for the visitor's conversation (the same one again for a returning visitor, found
/// by the signed visitor cookie); in Azure mode it exchanges the configured Direct Line secret for a token,
/// as Azure recommends.
/// </summary>
public static partial class ChatSessionEndpoints
{
    public const string Route = "/api/chat/session";
    public const string AzureHttpClient = "azure-directline";

    public static IEndpointRouteBuilder MapChatSession(this IEndpointRouteBuilder app)
    {
        app.MapPost(Route, CreateSession)
            .RequireCors(DirectLineEndpoints.CorsPolicy)
            .WithMetadata(new DirectLineRateLimit(DirectLineRateLimitKind.Token));
        return app;
    }

    private static async Task<IResult> CreateSession(
        HttpContext http,
        IOptions<WebChatOptions> webChat,
        IOptions<DirectLineOptions> directLine,
        IServiceProvider services,
        CancellationToken ct)
    {
        if (!AllowedOrigins.IsAllowed(http, directLine.Value))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed", detail: "This website is not allowed to embed the chat.");
        }

        return webChat.Value.DirectLine == DirectLineMode.Azure
            ? await CreateAzureSessionAsync(webChat.Value, services.GetRequiredService<IHttpClientFactory>(), services.GetRequiredService<ILoggerFactory>(), ct)
            : await CreateEmbeddedSessionAsync(http, directLine.Value, services, ct);
    }

    private static async Task<IResult> CreateEmbeddedSessionAsync(HttpContext http, DirectLineOptions options, IServiceProvider services, CancellationToken ct)
    {
        if (!options.Enabled)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Embedded channel disabled", detail: "The embedded Direct Line channel is switched off; set WebChat:DirectLine to Azure.");
        }

        var store = services.GetRequiredService<DirectLineConversationStore>();
        var cookie = services.GetRequiredService<VisitorCookie>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        DirectLineConversation? conversation = null;
        if (cookie.Read(http.Request) is { } visitor)
        {
            var known = await store.FindAsync(visitor.ConversationId, ct);
            if (known is not null && known.UserId == visitor.UserId && now - known.LastActivityAt <= options.ReturningVisitorPeriod)
            {
                conversation = known;
            }
        }

        conversation ??= await store.CreateAsync(ct);
        var publicUrl = DirectLineEndpoints.PublicBaseUrl(http, options);
        cookie.Write(
            http,
            new VisitorIdentity(conversation.Id, conversation.UserId),
            options.ReturningVisitorPeriod,
            crossSite: options.AllowedOrigins.Count > 0,
            secure: publicUrl.Scheme == Uri.UriSchemeHttps);

        var token = services.GetRequiredService<DirectLineTokenService>().Issue(conversation.Id, conversation.UserId);
        var domain = new Uri(publicUrl, DirectLineEndpoints.RoutePrefix.TrimStart('/'));
        return TypedResults.Ok(new ChatSession(
            Mode: "embedded",
            Domain: domain.AbsoluteUri,
            Token: token.Token,
            ConversationId: conversation.Id,
            ExpiresIn: token.ExpiresInSeconds,
            Resumed: conversation.Started,
            WebSocket: options.WebSocket,
            PollingIntervalMs: (int)options.PollingInterval.TotalMilliseconds));
    }

    private static async Task<IResult> CreateAzureSessionAsync(WebChatOptions options, IHttpClientFactory httpClients, ILoggerFactory loggers, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(options.AzureDirectLineSecret))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Chat not configured", detail: "WebChat:AzureDirectLineSecret is not set.");
        }

        var endpoint = options.AzureDirectLineEndpoint.AbsoluteUri.TrimEnd('/');
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint + "/tokens/generate")
        {
            // Direct Line's enhanced authentication wants user ids that start with dl_.
            Content = JsonContent.Create(new { user = new { id = "dl_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(12)) } }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AzureDirectLineSecret);
        try
        {
            using var response = await httpClients.CreateClient(AzureHttpClient).SendAsync(request, ct);
            if (!response.IsSuccessStatusCode)
            {
                LogAzureTokenRefused(loggers.CreateLogger(typeof(ChatSessionEndpoints)), (int)response.StatusCode);
                return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Chat unavailable", detail: "Azure Direct Line did not issue a token.");
            }

            var generated = await response.Content.ReadFromJsonAsync<AzureToken>(ct);
            if (generated?.Token is null || generated.ConversationId is null)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Chat unavailable", detail: "Azure Direct Line answered without a token.");
            }

            return TypedResults.Ok(new ChatSession("azure", endpoint, generated.Token, generated.ConversationId, generated.ExpiresIn, Resumed: false, WebSocket: true, PollingIntervalMs: 1000));
        }
        catch (HttpRequestException ex)
        {
            LogAzureUnreachable(loggers.CreateLogger(typeof(ChatSessionEndpoints)), ex);
            return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Chat unavailable", detail: "Azure Direct Line could not be reached.");
        }
    }

    private sealed record ChatSession(
        string Mode,
        string Domain,
        string Token,
        string ConversationId,
        int ExpiresIn,
        bool Resumed,
        bool WebSocket,
        int PollingIntervalMs);

    private sealed record AzureToken(
        [property: JsonPropertyName("conversationId")] string? ConversationId,
        [property: JsonPropertyName("token")] string? Token,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Azure Direct Line refused the token request with status {Status}.")]
    private static partial void LogAzureTokenRefused(ILogger logger, int status);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Error, Message = "Azure Direct Line could not be reached for a token.")]
    private static partial void LogAzureUnreachable(ILogger logger, Exception exception);
}
