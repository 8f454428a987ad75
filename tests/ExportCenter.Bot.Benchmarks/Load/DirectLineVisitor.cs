using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>
/// One visitor of the chat page on the embedded Direct Line: a session from <c>/api/chat/session</c> (the page's token
/// endpoint), the conversation started, its WebSocket stream open. A turn posts a message and ends when the bot's reply
/// to it (an activity whose <c>replyToId</c> is the id the channel gave the message) arrives on the stream.
/// </summary>
internal sealed class DirectLineVisitor : IAsyncDisposable
{
    private static readonly TimeSpan ReplyLimit = TimeSpan.FromSeconds(30);
    private readonly HttpClient _http;
    private readonly ClientWebSocket _socket;
    private readonly string _conversationId;
    private readonly string _token;
    private readonly Task _receiving;
    private readonly CancellationTokenSource _closing = new();
    private readonly Lock _gate = new();
    private string? _awaitedClientId;
    private string? _awaitedMessageId;
    private TaskCompletionSource<long>? _reply;

    private DirectLineVisitor(HttpClient http, ClientWebSocket socket, string conversationId, string token)
    {
        _http = http;
        _socket = socket;
        _conversationId = conversationId;
        _token = token;
        _receiving = ReceiveAsync();
    }

    public static async Task<DirectLineVisitor> ConnectAsync(HttpClient http, string locale)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var sessionAnswer = await http.PostAsync("api/chat/session", null);
        sessionAnswer.EnsureSuccessStatusCode();
        var session = (await sessionAnswer.Content.ReadFromJsonAsync<JsonObject>())!;
        var token = (string)session["token"]!;
        using var start = new HttpRequestMessage(HttpMethod.Post, "v3/directline/conversations")
        {
            Content = new StringContent(new JsonObject { ["locale"] = locale }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var started = await http.SendAsync(start);
        started.EnsureSuccessStatusCode();
        var conversation = (await started.Content.ReadFromJsonAsync<JsonObject>())!;
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri((string)conversation["streamUrl"]!), CancellationToken.None);
        return new DirectLineVisitor(http, socket, (string)conversation["conversationId"]!, (string)conversation["token"]!);
    }

    /// <summary>Posts one message and waits for the bot's reply on the stream: the time from the post to the reply's frame, or null when the post was refused or no reply came.</summary>
    public async Task<TimeSpan?> TurnAsync(string text, string locale, string clientId)
    {
        var sent = Stopwatch.GetTimestamp();
        var reply = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            _awaitedClientId = clientId;
            _awaitedMessageId = null;
            _reply = reply;
        }

        var activity = new JsonObject
        {
            ["type"] = "message",
            ["text"] = text,
            ["locale"] = locale,
            ["channelData"] = new JsonObject { ["clientActivityID"] = clientId },
        };
        using var post = new HttpRequestMessage(HttpMethod.Post, $"v3/directline/conversations/{Uri.EscapeDataString(_conversationId)}/activities")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        using var answer = await _http.SendAsync(post);
        if (!answer.IsSuccessStatusCode)
        {
            return null;
        }

        // A reply that does not come within the limit throws TimeoutException: the run counts it as an error.
        var limit = ReplyLimit - Stopwatch.GetElapsedTime(sent);
        return Stopwatch.GetElapsedTime(sent, await reply.Task.WaitAsync(limit > TimeSpan.Zero ? limit : TimeSpan.Zero));
    }

    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync();
        try
        {
            await _receiving;
        }
        catch (OperationCanceledException)
        {
            // Closing.
        }

        _socket.Abort();
        _socket.Dispose();
        _closing.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        using var frame = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _closing.Token);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                frame.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage)
                {
                    continue;
                }

                if (frame.Length > 0)
                {
                    Read(frame.GetBuffer().AsMemory(0, (int)frame.Length));
                }

                frame.SetLength(0);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // The stream closed; a turn that waits on it times out.
        }
    }

    /// <summary>Reads an ActivitySet frame: the echo of the awaited message gives its id, a bot activity replying to that id ends the turn.</summary>
    private void Read(ReadOnlyMemory<byte> json)
    {
        using var set = JsonDocument.Parse(json);
        if (!set.RootElement.TryGetProperty("activities", out var activities))
        {
            return;
        }

        foreach (var activity in activities.EnumerateArray())
        {
            lock (_gate)
            {
                if (_reply is null)
                {
                    return;
                }

                if (_awaitedMessageId is null
                    && activity.TryGetProperty("channelData", out var channelData)
                    && channelData.ValueKind == JsonValueKind.Object
                    && channelData.TryGetProperty("clientActivityID", out var clientId)
                    && clientId.ValueEquals(_awaitedClientId))
                {
                    _awaitedMessageId = activity.GetProperty("id").GetString();
                }
                else if (_awaitedMessageId is not null
                    && activity.TryGetProperty("replyToId", out var replyTo)
                    && replyTo.ValueEquals(_awaitedMessageId)
                    && activity.TryGetProperty("from", out var from)
                    && from.TryGetProperty("role", out var role)
                    && role.ValueEquals("bot"))
                {
                    _reply.TrySetResult(Stopwatch.GetTimestamp());
                    _reply = null;
                }
            }
        }
    }

    /// <summary>A client activity id unique to this visitor's turn.</summary>
    public static string ClientId(int worker, long n) => string.Create(CultureInfo.InvariantCulture, $"w{worker}-{n}");
}
