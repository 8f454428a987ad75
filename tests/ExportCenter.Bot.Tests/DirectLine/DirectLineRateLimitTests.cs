using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>
/// Rate limits per client address (token endpoint, posting), per conversation (posting) and per token (refresh, start
/// and reconnect; GET activities; open streams), each answered with 429 and Retry-After, never a 5xx.
/// </summary>
public sealed class DirectLineRateLimitTests
{
    [Fact]
    public async Task Posting_BeyondTheConversationLimit_Is429AndNotStored()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["DirectLine:RateLimits:PostsPerConversation"] = "3",
            ["DirectLine:RateLimits:Window"] = "01:00:00",
        });
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostMessageAsync($"fråga {i}", $"c{i}");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var before = (await client.HistoryAsync()).ToJsonString();
        using var limited = await client.PostMessageAsync("en till", "c4");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null);
        Assert.Equal("TooManyRequests", (await limited.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(before, (await client.HistoryAsync()).ToJsonString());

        // Another conversation is not affected by this conversation's limit.
        var other = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        using var otherPost = await other.PostMessageAsync("hej");
        Assert.Equal(HttpStatusCode.OK, otherPost.StatusCode);
    }

    [Fact]
    public async Task Posting_BeyondTheClientLimit_Is429AcrossConversations()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["DirectLine:RateLimits:PostsPerClient"] = "2",
            ["DirectLine:RateLimits:Window"] = "01:00:00",
        });
        var first = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        var second = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();

        using var a = await first.PostMessageAsync("ett");
        using var b = await second.PostMessageAsync("två");
        using var c = await second.PostMessageAsync("tre");

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, c.StatusCode);
    }

    [Fact]
    public async Task TokenEndpoint_BeyondTheClientLimit_Is429()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["DirectLine:RateLimits:TokensPerClient"] = "2",
            ["DirectLine:RateLimits:Window"] = "01:00:00",
        });
        using var http = app.CreateHttpClient();

        using var a = await http.PostAsync("api/chat/session", null);
        using var b = await http.PostAsync("api/chat/session", null);
        using var c = await http.PostAsync("api/chat/session", null);

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, c.StatusCode);
    }

    [Fact]
    public async Task TokenRefresh_BeyondThePerTokenLimit_Is429WithRetryAfter_AndTheRefreshedTokenKeepsTheCount()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["DirectLine:RateLimits:RefreshesPerToken"] = "3",
            ["DirectLine:RateLimits:Window"] = "01:00:00",
        });

        // The start is the first of the three; each refresh answers with a new token, which the next one uses.
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        for (var i = 0; i < 2; i++)
        {
            using var refreshed = await client.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            client.Token = (await refreshed.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        }

        using var refused = await client.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);
        using var reconnect = await client.SendAsync(HttpMethod.Get, $"v3/directline/conversations/{client.ConversationId}?watermark=", null);

        await AssertLimitedAsync(refused);
        await AssertLimitedAsync(reconnect);

        // Another visitor from the same address has a count of its own.
        var other = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        using var otherRefresh = await other.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);
        Assert.Equal(HttpStatusCode.OK, otherRefresh.StatusCode);
    }

    [Fact]
    public async Task GetActivities_BeyondThePerTokenLimit_Is429WithRetryAfter()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["DirectLine:RateLimits:ReadsPerToken"] = "2",
            ["DirectLine:RateLimits:Window"] = "01:00:00",
        });
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();

        using var first = await client.GetActivitiesAsync();
        using var second = await client.GetActivitiesAsync("1");
        using var third = await client.GetActivitiesAsync("1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        await AssertLimitedAsync(third);

        var other = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        using var otherGet = await other.GetActivitiesAsync();
        Assert.Equal(HttpStatusCode.OK, otherGet.StatusCode);
    }

    [Fact]
    public async Task Stream_BeyondTheOpenStreamsPerToken_IsRefusedWith429_BeforeTheUpgrade()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["DirectLine:RateLimits:StreamsPerToken"] = "4" });
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        var open = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                open.Add(await ConnectAsync(client.StreamUrl!));
            }

            // A reconnect hands out a new token and stream URL for the same conversation and user: it counts as the same.
            using var info = await client.SendAsync(HttpMethod.Get, $"v3/directline/conversations/{client.ConversationId}?watermark=", null);
            var newStreamUrl = (await info.Content.ReadFromJsonAsync<JsonObject>())!["streamUrl"]!.GetValue<string>();
            using var fifth = new ClientWebSocket();
            fifth.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => fifth.ConnectAsync(new Uri(newStreamUrl), CancellationToken.None));

            Assert.Equal(HttpStatusCode.TooManyRequests, fifth.HttpStatusCode);
            var retryAfter = fifth.HttpResponseHeaders!.Single(h => string.Equals(h.Key, "Retry-After", StringComparison.OrdinalIgnoreCase)).Value;
            Assert.Equal("60", Assert.Single(retryAfter)); // one window

            // Another visitor's stream is not affected.
            var other = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
            open.Add(await ConnectAsync(other.StreamUrl!));
            Assert.Equal(WebSocketState.Open, open[^1].State);
        }
        finally
        {
            open.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task AStreamPlace_IsFreeAgain_WhenItsStreamCloses()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["DirectLine:RateLimits:StreamsPerToken"] = "1" });
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        var conversation = (await app.Services.GetRequiredService<DirectLineConversationStore>().FindAsync(client.ConversationId, CancellationToken.None))!;
        var limits = app.Services.GetRequiredService<DirectLineTokenLimits>();
        var visitor = new DirectLineCaller(conversation, Actor: null);
        var advisor = new DirectLineCaller(conversation, Actor: "advisor-1");

        var first = limits.TryOpenStream(visitor);
        Assert.NotNull(first);
        Assert.Null(limits.TryOpenStream(visitor));
        using var advisorsOwn = limits.TryOpenStream(advisor);
        Assert.NotNull(advisorsOwn);

        first.Dispose();
        first.Dispose();
        using var again = limits.TryOpenStream(visitor);
        Assert.NotNull(again);
        Assert.Null(limits.TryOpenStream(visitor));
    }

    private static async Task AssertLimitedAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("TooManyRequests", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
    }

    private static async Task<ClientWebSocket> ConnectAsync(string streamUrl)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(streamUrl), CancellationToken.None);
        return socket;
    }
}
