using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Testing;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>Rate limits per client address (token endpoint, posting) and per conversation (posting).</summary>
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
}
