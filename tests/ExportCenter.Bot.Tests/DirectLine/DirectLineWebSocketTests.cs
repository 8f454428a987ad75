using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>The WebSocket stream: ActivitySet frames, keep-alives, reconnect from a watermark.</summary>
public sealed class DirectLineWebSocketTests : IDisposable
{
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly BotApp _app;

    public DirectLineWebSocketTests()
    {
        _app = new BotApp(services: services => services.AddSingleton<TimeProvider>(_clock));
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Stream_SendsTheWelcome_ThenTheEchoAndReplyOfAPost_AsActivitySets()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        using var socket = await ConnectAsync(client.StreamUrl!);

        var first = await ReceiveSetAsync(socket);
        (await client.PostMessageAsync("Hej via socket", "ws-1")).Dispose();
        var seen = await ReceiveActivitiesAsync(socket, 2);

        Assert.Equal("bot", first["activities"]![0]!["from"]!["role"]!.GetValue<string>());
        Assert.Equal("1", first["watermark"]!.GetValue<string>());
        Assert.Equal("ws-1", seen[0]["channelData"]!["clientActivityID"]!.GetValue<string>());
        Assert.Equal("bot", seen[1]["from"]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_SendsAnEmptyKeepAliveFrame_WhenIdle()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        using var socket = await ConnectAsync(client.StreamUrl!);
        await ReceiveSetAsync(socket);

        var keepAlive = ReceiveTextAsync(socket);
        for (var advanced = 0; !keepAlive.IsCompleted; advanced++)
        {
            Assert.True(advanced < 200, "No frame arrived while the clock was advanced 200 times by 16 s.");
            _clock.Advance(TimeSpan.FromSeconds(16));
            await Task.WhenAny(keepAlive, Task.Delay(50));
        }

        Assert.Equal(string.Empty, await keepAlive);
    }

    [Fact]
    public async Task AtEachKeepAlive_TheStreamReadsTheDatabase_SoAnActivityWhoseSignalWasLostStillComes()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        using var socket = await ConnectAsync(client.StreamUrl!);
        await ReceiveSetAsync(socket);

        // Stored as another instance stores it, its signal lost on the way.
        var unsignalled = new DirectLineConversationStore(_app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>(), new LostSignals(), _clock);
        var conversation = (await unsignalled.FindAsync(client.ConversationId, CancellationToken.None))!;
        var activities = _app.Services.GetRequiredService<DirectLineActivities>();
        var id = await unsignalled.AppendAsync(
            client.ConversationId,
            new JsonObject { ["type"] = "message", ["text"] = "Svar utan signal" },
            (a, newId, at) => activities.CompleteFromBot(a, conversation, newId, at),
            CancellationToken.None);

        var next = ReceiveSetAsync(socket);
        for (var advanced = 0; !next.IsCompleted; advanced++)
        {
            Assert.True(advanced < 200, "Nothing came while the clock was advanced 200 times by 16 s.");
            _clock.Advance(TimeSpan.FromSeconds(16));
            await Task.WhenAny(next, Task.Delay(50));
        }

        Assert.Equal(id, Assert.Single((await next)["activities"]!.AsArray())!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reconnect_WithWatermark_ReplaysOnlyWhatCameAfterIt()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        (await client.PostMessageAsync("först", "a")).Dispose();

        using var info = await client.SendAsync(HttpMethod.Get, $"v3/directline/conversations/{client.ConversationId}?watermark=2", null);
        var streamUrl = (await info.Content.ReadFromJsonAsync<JsonObject>())!["streamUrl"]!.GetValue<string>();
        using var socket = await ConnectAsync(streamUrl);
        var replay = await ReceiveSetAsync(socket);

        var activity = Assert.Single(replay["activities"]!.AsArray());
        Assert.Equal("bot", activity!["from"]!["role"]!.GetValue<string>());
        Assert.Equal("3", replay["watermark"]!.GetValue<string>());
    }

    [Fact]
    public async Task Stream_WithAnotherConversationsToken_IsRefused()
    {
        var mine = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var theirs = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var stolen = mine.StreamUrl!.Replace(mine.ConversationId, theirs.ConversationId, StringComparison.Ordinal);

        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri(stolen), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task StreamUrl_UsesTheConfiguredPublicBaseUrl()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["DirectLine:PublicBaseUrl"] = "https://export.example.se/chat/" });
        var client = new DirectLineClient(app.CreateHttpClient());
        var session = await client.CreateSessionAsync();
        (await client.StartAsync()).Dispose();

        Assert.StartsWith("wss://export.example.se/chat/v3/directline/conversations/", client.StreamUrl, StringComparison.Ordinal);
        Assert.Equal("https://export.example.se/chat/v3/directline", session["domain"]!.GetValue<string>());
    }

    /// <summary>Signals that never reach a stream.</summary>
    private sealed class LostSignals : IDirectLineStreamSignals
    {
        public void Notify(string conversationId)
        {
        }

        public void Publish(string conversationId, JsonObject activity)
        {
        }

        public void EndSession(string session)
        {
        }
    }

    private static async Task<ClientWebSocket> ConnectAsync(string streamUrl)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(FrameTimeout);
        await socket.ConnectAsync(new Uri(streamUrl), timeout.Token);
        return socket;
    }

    /// <summary>Receives activity sets until <paramref name="count"/> activities came, within <see cref="FrameTimeout"/>.</summary>
    private static async Task<List<JsonObject>> ReceiveActivitiesAsync(WebSocket socket, int count)
    {
        using var deadline = new CancellationTokenSource(FrameTimeout);
        var seen = new List<JsonObject>();
        while (seen.Count < count)
        {
            seen.AddRange((await ReceiveSetAsync(socket, $"{count} activities (got {seen.Count})", deadline.Token))["activities"]!.AsArray().Select(a => a!.AsObject()));
        }

        return seen;
    }

    /// <summary>The next activity set, skipping keep-alives (empty frames), within <see cref="FrameTimeout"/>.</summary>
    private static Task<JsonObject> ReceiveSetAsync(WebSocket socket) =>
        ReceiveSetAsync(socket, "an activity set", CancellationToken.None);

    private static async Task<JsonObject> ReceiveSetAsync(WebSocket socket, string waitingFor, CancellationToken deadline)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        timeout.CancelAfter(FrameTimeout);
        var keepAlives = 0;
        while (true)
        {
            string text;
            try
            {
                text = await ReceiveTextAsync(socket, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {FrameTimeout.TotalSeconds:0} s for {waitingFor}; {keepAlives} keep-alive frames came instead.");
            }

            if (text.Length > 0)
            {
                var set = JsonNode.Parse(text)!.AsObject();
                Assert.IsType<JsonArray>(set["activities"]);
                return set;
            }

            keepAlives++;
        }
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(FrameTimeout);
        return await ReceiveTextAsync(socket, timeout.Token);
    }

    /// <summary>One whole text message (all its fragments); cancelling <paramref name="timeout"/> ends the wait.</summary>
    private static async Task<string> ReceiveTextAsync(WebSocket socket, CancellationToken timeout)
    {
        var buffer = new byte[64 * 1024];
        var message = new StringBuilder();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout);
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
        }
        while (!result.EndOfMessage);
        return message.ToString();
    }
}
