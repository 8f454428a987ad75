using System.Collections.Concurrent;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

// A bare ASP.NET Core app that does the I/O of the bot's turns and nothing else: the practical limit of a turn on
// this machine, and the bare app the bot's cold start and memory are compared with.
//   POST /api/messages   reads the activity, posts a reply to {serviceUrl}v3/conversations/{id}/activities/{replyToId}
//                        and answers 200 once the connector has answered, as the Bot Framework adapter does.
//   Direct Line          the subset the load benchmark uses: a session with a token, the conversation start with its
//                        stream URL, the WebSocket stream, and posts that the stream echoes and answers at once.
//   GET /healthz         200.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddHttpClient("connector");
var app = builder.Build();
app.UseWebSockets();

app.MapGet("/healthz", () => "Healthy");

app.MapPost("/api/messages", async (HttpRequest request, IHttpClientFactory clients, CancellationToken ct) =>
{
    var activity = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
    var conversation = (string?)activity?["conversation"]?["id"];
    var serviceUrl = (string?)activity?["serviceUrl"];
    if (conversation is null || serviceUrl is null)
    {
        return Results.BadRequest();
    }

    var reply = Reply(activity!, (string?)activity!["id"] ?? string.Empty);
    var to = $"{serviceUrl.TrimEnd('/')}/v3/conversations/{Uri.EscapeDataString(conversation)}/activities/{Uri.EscapeDataString((string?)activity["id"] ?? string.Empty)}";
    using var content = new StringContent(reply.ToJsonString(), Encoding.UTF8, "application/json");
    using var answer = await clients.CreateClient("connector").PostAsync(new Uri(to), content, ct);
    return answer.IsSuccessStatusCode ? Results.Ok() : Results.StatusCode(StatusCodes.Status502BadGateway);
});

var conversations = new ConcurrentDictionary<string, StreamedConversation>(StringComparer.Ordinal);
var byToken = new ConcurrentDictionary<string, StreamedConversation>(StringComparer.Ordinal);

app.MapPost("/api/chat/session", () =>
{
    var conversation = new StreamedConversation(Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"));
    conversations[conversation.Id] = conversation;
    byToken[conversation.Token] = conversation;
    return Results.Ok(new { token = conversation.Token, conversationId = conversation.Id });
});

app.MapPost("/v3/directline/conversations", (HttpRequest request) =>
    Authorized(request, null) is { } conversation
        ? Results.Json(
            new { conversationId = conversation.Id, token = conversation.Token, streamUrl = $"ws://{request.Host}/v3/directline/conversations/{conversation.Id}/stream?t={conversation.Token}" },
            statusCode: StatusCodes.Status201Created)
        : Results.Unauthorized());

app.MapGet("/v3/directline/conversations/{id}/stream", async (string id, string? t, HttpContext http) =>
{
    if (!conversations.TryGetValue(id, out var conversation) || t != conversation.Token || !http.WebSockets.IsWebSocketRequest)
    {
        http.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return;
    }

    using var socket = await http.WebSockets.AcceptWebSocketAsync();
    using var closed = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
    var receiving = ReceiveUntilClosedAsync(socket, closed);
    try
    {
        await foreach (var frame in conversation.Frames.ReadAllAsync(closed.Token))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, closed.Token);
        }
    }
    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
    {
        // The client went away.
    }

    await receiving;
});

app.MapPost("/v3/directline/conversations/{id}/activities", async (string id, HttpRequest request, CancellationToken ct) =>
{
    if (Authorized(request, id) is not { } conversation)
    {
        return Results.Unauthorized();
    }

    var activity = await JsonNode.ParseAsync(request.Body, cancellationToken: ct) as JsonObject;
    if (activity is null)
    {
        return Results.BadRequest();
    }

    var sequence = conversation.NextSequence();
    var activityId = $"{id}|{sequence:D7}";
    activity["id"] = activityId;
    activity["from"] = new JsonObject { ["id"] = "user", ["role"] = "user" };
    conversation.Publish(Frame(activity, sequence));
    var reply = Reply(activity, activityId);
    var replySequence = conversation.NextSequence();
    reply["id"] = $"{id}|{replySequence:D7}";
    conversation.Publish(Frame(reply, replySequence));
    return Results.Ok(new { id = activityId });
});

app.Run();

StreamedConversation? Authorized(HttpRequest request, string? id)
{
    var header = request.Headers.Authorization.ToString();
    var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
    return token is not null && byToken.TryGetValue(token, out var found) && (id is null || found.Id == id) ? found : null;
}

static async Task ReceiveUntilClosedAsync(WebSocket socket, CancellationTokenSource closed)
{
    var buffer = new byte[1024];
    try
    {
        while (socket.State == WebSocketState.Open)
        {
            if ((await socket.ReceiveAsync(buffer, closed.Token)).MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
    }
    catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
    {
        // The client went away.
    }

    await closed.CancelAsync();
}

static JsonObject Reply(JsonNode activity, string replyToId) => new()
{
    ["type"] = "message",
    ["text"] = "echo: " + (string?)activity["text"],
    ["replyToId"] = replyToId,
    ["from"] = new JsonObject { ["id"] = "bare-app", ["role"] = "bot" },
    ["conversation"] = activity["conversation"]?.DeepClone(),
};

static string Frame(JsonObject activity, long watermark) =>
    new JsonObject { ["activities"] = new JsonArray(activity.DeepClone()), ["watermark"] = watermark.ToString(CultureInfo.InvariantCulture) }.ToJsonString();

/// <summary>One conversation of the Direct Line subset: its token, its sequence numbers and the frames for its stream.</summary>
internal sealed class StreamedConversation(string id, string token)
{
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private long _sequence;

    public string Id { get; } = id;

    public string Token { get; } = token;

    /// <summary>The frames the stream sends, in order (a WebSocket takes one send at a time).</summary>
    public ChannelReader<string> Frames => _frames.Reader;

    /// <summary>The next watermark of the conversation.</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void Publish(string frame) => _frames.Writer.TryWrite(frame);
}
