using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>
/// Bad requests get the status Web Chat's client acts on, with an error body, and never change the
/// stored history.
/// </summary>
public sealed class DirectLineBadInputTests : IDisposable
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly BotApp _app;

    public DirectLineBadInputTests()
    {
        _app = new BotApp(
            new Dictionary<string, string?> { ["DirectLine:MaxActivityBytes"] = "4096" },
            services => services.AddSingleton<TimeProvider>(_clock));
    }

    public void Dispose() => _app.Dispose();

    public static TheoryData<string, string> MalformedBodies => new()
    {
        { "not json at all", "malformed JSON" },
        { "{\"type\": \"message\", \"text\": ", "truncated JSON" },
        { "{\"text\":\"no type\"}", "missing type" },
        { "{\"type\":\"\",\"text\":\"empty type\"}", "empty type" },
        { "[1,2,3]", "not an object" },
        { "{\"type\":\"invoke\",\"name\":\"adaptiveCard/action\"}", "a type only a channel may send" },
        { "{\"type\":\"message\",\"text\":42}", "text of the wrong JSON type" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task PostActivity_Malformed_Is400AndChangesNothing(string body, string because)
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var before = (await client.HistoryAsync()).ToJsonString();

        using var response = await client.PostActivityAsync(body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, because);
        await AssertErrorBodyAsync(response);
        Assert.Equal(before, (await client.HistoryAsync()).ToJsonString());
    }

    // Issue 11: these got 500 (lone surrogates) or 502 after they were stored (the other types, the timestamp).
    public static TheoryData<string, string> InvalidFields => new()
    {
        { """{"type":"message","text":"a\ud800b"}""", "InvalidText" },
        { """{"type":"message","text":"ok","channelData":{"x\udc00":1}}""", "InvalidText" },
        { """{"type":"message","value":"a string"}""", "InvalidFieldType" },
        { """{"type":"message","value":[1,2]}""", "InvalidFieldType" },
        { """{"type":"message","text":"hi","channelData":42}""", "InvalidFieldType" },
        { """{"type":"message","text":"hi","attachments":["not an attachment"]}""", "InvalidFieldType" },
        { """{"type":"message","text":"hi","attachments":{"contentType":"x"}}""", "InvalidFieldType" },
        { """{"type":"message","text":"hi","localTimestamp":"tomorrow at noon"}""", "InvalidTimestamp" },
        { """{"type":"message","text":"hi","localTimestamp":"2026-02-30T10:00:00+01:00"}""", "InvalidTimestamp" },
        { """{"type":"message","text":"hi","type":"event"}""", "BadSyntax" },
        { """{"type":"conversationUpdate"}""", "UnsupportedActivityType" },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public async Task PostActivity_WithAnInvalidField_Is400WithItsCodeAndChangesNothing(string body, string code)
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var before = (await client.HistoryAsync()).ToJsonString();

        using var response = await client.PostActivityAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(before, (await client.HistoryAsync()).ToJsonString());
    }

    [Fact]
    public async Task PostActivity_WithoutToken_Is401()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var before = (await client.HistoryAsync()).ToJsonString();

        using var response = await client.PostActivityAsync(Message("hi"), token: "");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertErrorBodyAsync(response);
        Assert.Equal(before, (await client.HistoryAsync()).ToJsonString());
    }

    [Theory]
    [InlineData("undefined")]
    [InlineData("not.a.token")]
    [InlineData("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJ4In0.AAAA")]
    public async Task PostActivity_WithForgedToken_Is401(string forged)
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var before = (await client.HistoryAsync()).ToJsonString();

        using var response = await client.PostActivityAsync(Message("hi"), token: forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, (await client.HistoryAsync()).ToJsonString());
    }

    [Fact]
    public async Task PostActivity_WithTamperedClaims_Is401()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var other = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var parts = client.Token.Split('.');
        var otherParts = other.Token.Split('.');
        var spliced = $"{parts[0]}.{otherParts[1]}.{parts[2]}";

        using var response = await client.PostActivityAsync(Message("hi"), conversationId: other.ConversationId, token: spliced);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(await other.HistoryAsync());
    }

    [Fact]
    public async Task PostActivity_WithExpiredToken_Is403TokenExpired()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var before = (await client.HistoryAsync()).ToJsonString();
        var expired = client.Token;
        _clock.Advance(TimeSpan.FromMinutes(31));
        await client.CreateSessionAsync();

        using var response = await client.PostActivityAsync(Message("hi"), token: expired);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("TokenExpired", error["error"]!["code"]!.GetValue<string>());
        Assert.Equal(before, (await client.HistoryAsync()).ToJsonString());
    }

    [Fact]
    public async Task Refresh_WithExpiredToken_Is403()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        _clock.Advance(TimeSpan.FromMinutes(31));

        using var response = await client.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Activities_WithAnotherConversationsToken_Is403()
    {
        var mine = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var theirs = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var before = (await theirs.HistoryAsync()).ToJsonString();

        using var post = await mine.PostActivityAsync(Message("let me in"), conversationId: theirs.ConversationId);
        using var get = await mine.GetActivitiesAsync("", conversationId: theirs.ConversationId);
        using var reconnect = await mine.SendAsync(HttpMethod.Get, $"v3/directline/conversations/{theirs.ConversationId}", null);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, get.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, reconnect.StatusCode);
        Assert.Equal(before, (await theirs.HistoryAsync()).ToJsonString());
    }

    [Fact]
    public async Task Activities_OfUnknownConversation_Is404()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();

        using var post = await client.PostActivityAsync(Message("hello?"), conversationId: "no-such-conversation");
        using var get = await client.GetActivitiesAsync("", conversationId: "no-such-conversation");

        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Single(await client.HistoryAsync());
    }

    [Fact]
    public async Task PostActivity_Oversized_Is413AndChangesNothing()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var before = (await client.HistoryAsync()).ToJsonString();

        using var response = await client.PostActivityAsync(Message(new string('x', 5000)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertErrorBodyAsync(response);
        Assert.Equal(before, (await client.HistoryAsync()).ToJsonString());
    }

    [Fact]
    public async Task GetActivities_WithForeignWatermark_Is400()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();

        using var response = await client.GetActivitiesAsync("0000a-42");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static string Message(string text) =>
        new JsonObject { ["type"] = "message", ["text"] = text, ["channelData"] = new JsonObject { ["clientActivityID"] = "x" } }.ToJsonString();

    private static async Task AssertErrorBodyAsync(HttpResponseMessage response)
    {
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(string.IsNullOrEmpty(body["error"]?["code"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(body["error"]?["message"]?.GetValue<string>()));
    }
}
