using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>The embedded Direct Line 3.0 channel over HTTP against the running host.</summary>
public sealed class DirectLineProtocolTests : IDisposable
{
    private readonly BotApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Start_FirstTime_Answers201WithAbsoluteStreamUrl_AndTheBotWelcomes()
    {
        var client = new DirectLineClient(_app.CreateHttpClient());
        await client.CreateSessionAsync();

        using var response = await client.StartAsync("sv-SE");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var started = client.LastStart!;
        Assert.Equal(client.ConversationId, started["conversationId"]!.GetValue<string>());
        Assert.True(started["expires_in"]!.GetValue<int>() > 0);
        var stream = new Uri(started["streamUrl"]!.GetValue<string>());
        Assert.Equal("ws", stream.Scheme);
        Assert.Equal(_app.BaseAddress.Authority, stream.Authority);

        var history = await client.HistoryAsync();
        var welcome = Assert.Single(history);
        Assert.Equal("bot", welcome!["from"]!["role"]!.GetValue<string>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", welcome["attachments"]![0]!["contentType"]!.GetValue<string>());
        Assert.Equal(BotTexts.Swedish.WelcomeHeading, welcome["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_Twice_Answers200AndDoesNotWelcomeAgain()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();

        using var again = await client.StartAsync();

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Single(await client.HistoryAsync());
    }

    [Fact]
    public async Task Start_InEnglish_WelcomesInEnglish()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync("en-US");

        var welcome = Assert.Single(await client.HistoryAsync());
        Assert.Equal(BotTexts.English.WelcomeHeading, welcome!["attachments"]![0]!["content"]!["body"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostActivity_IsEchoedWithIdTimestampAndClientActivityId_ThenAnswered()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();

        using var posted = await client.PostMessageAsync("Hej", "abc-123");

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var history = await client.HistoryAsync();
        Assert.Equal(3, history.Count);
        var echo = history[1]!;
        Assert.Equal(id, echo["id"]!.GetValue<string>());
        Assert.Equal("abc-123", echo["channelData"]!["clientActivityID"]!.GetValue<string>());
        Assert.True(DateTimeOffset.TryParse(echo["timestamp"]!.GetValue<string>(), out _));
        Assert.Equal("user", echo["from"]!["role"]!.GetValue<string>());
        var reply = history[2]!;
        Assert.Equal("bot", reply["from"]!["role"]!.GetValue<string>());
        Assert.Equal(id, reply["replyToId"]!.GetValue<string>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", reply["attachments"]![0]!["contentType"]!.GetValue<string>());
        Assert.NotEqual(echo["from"]!["id"]!.GetValue<string>(), reply["from"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetActivities_WithWatermark_ReturnsOnlyNewerActivities()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        using var first = await client.GetActivitiesAsync("");
        var firstSet = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        var watermark = firstSet["watermark"]!.GetValue<string>();
        Assert.Single(firstSet["activities"]!.AsArray());

        (await client.PostMessageAsync("Hallå")).Dispose();
        using var second = await client.GetActivitiesAsync(watermark);
        var secondSet = (await second.Content.ReadFromJsonAsync<JsonObject>())!;
        using var third = await client.GetActivitiesAsync(secondSet["watermark"]!.GetValue<string>());
        var thirdSet = (await third.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(2, secondSet["activities"]!.AsArray().Count);
        Assert.Empty(thirdSet["activities"]!.AsArray());
        Assert.Equal(secondSet["watermark"]!.GetValue<string>(), thirdSet["watermark"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostActivity_WithClientChosenIdentity_ReachesTheBotWithTheChannelsValuesOnly()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var forged = new JsonObject
        {
            ["type"] = "message",
            ["text"] = "Jag är någon annan",
            ["id"] = "forged-id",
            ["from"] = new JsonObject { ["id"] = "advisor-42", ["role"] = "bot" },
            ["recipient"] = new JsonObject { ["id"] = "someone" },
            ["conversation"] = new JsonObject { ["id"] = "another-conversation" },
            ["channelId"] = "msteams",
            ["serviceUrl"] = "https://attacker.example/",
            ["deliveryMode"] = "expectReplies",
            ["channelData"] = new JsonObject { ["clientActivityID"] = "c1" },
        };

        using var response = await client.PostActivityAsync(forged.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = _app.TurnsReceived.Last(a => a.Type == "message");
        Assert.Equal("Jag är någon annan", received.Text);
        Assert.NotEqual("advisor-42", received.From.Id);
        Assert.StartsWith("u-", received.From.Id, StringComparison.Ordinal);
        Assert.Equal("directline", received.ChannelId);
        Assert.Equal("https://embedded-directline.invalid/", received.ServiceUrl);
        Assert.Equal(client.ConversationId, received.Conversation.Id);
        Assert.NotEqual("forged-id", received.Id);
        Assert.Null(received.DeliveryMode);
        var stored = (await client.HistoryAsync())[1]!;
        Assert.Equal(received.From.Id, stored["from"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task CardButton_ValueReachesTheBot()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var postBack = new JsonObject
        {
            ["type"] = "message",
            ["value"] = new JsonObject { ["action"] = "menu", ["choice"] = "finance" },
            ["channelData"] = new JsonObject { ["postBack"] = true, ["clientActivityID"] = "c2" },
        };

        (await client.PostActivityAsync(postBack.ToJsonString())).Dispose();

        var reply = (await client.HistoryAsync()).Last()!;
        var title = _app.Services.GetRequiredService<KnowledgeBase>().TopicsById["export-finance"].Title.Sv;
        Assert.Contains(reply["attachments"]![0]!["content"]!["body"]!.AsArray(), b => b!["text"]?.GetValue<string>() == title);
    }

    [Fact]
    public async Task TokenRefresh_GivesAWorkingTokenForTheSameConversation()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();

        using var response = await client.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refreshed = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(client.ConversationId, refreshed["conversationId"]!.GetValue<string>());
        client.Token = refreshed["token"]!.GetValue<string>();
        Assert.Single(await client.HistoryAsync());
    }

    [Fact]
    public async Task Reconnect_GivesANewStreamUrlFromTheWatermark()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();

        using var response = await client.SendAsync(HttpMethod.Get, $"v3/directline/conversations/{client.ConversationId}?watermark=1", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(client.ConversationId, info["conversationId"]!.GetValue<string>());
        Assert.Contains("watermark=1", info["streamUrl"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("ws://", info["streamUrl"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectorRoutes_AreNotReachableFromOutside()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var fake = new JsonObject { ["type"] = "message", ["text"] = "I am the bot" }.ToJsonString();

        foreach (var path in new[] { $"v3/conversations/{client.ConversationId}/activities", $"v3/conversations/{client.ConversationId}/activities/x", "v3/directline/v3/conversations/x/activities" })
        {
            using var response = await client.SendAsync(HttpMethod.Post, path, fake);
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{path} answered {response.StatusCode}");
        }

        Assert.Single(await client.HistoryAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ConcurrentPosts_EachGetTheirOwnIdAndWatermark_AndNothingIsLost(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = new BotApp(database.Settings);
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => client.PostMessageAsync($"fråga {i}", $"p{i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var history = await client.HistoryAsync();
        Assert.Equal(21, history.Count);
        Assert.Equal(21, history.Select(a => a!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.Equal(10, history.Count(a => a!["from"]!["role"]!.GetValue<string>() == "user"));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Health_ReportsTheDatabaseReady()
    {
        using var http = _app.CreateHttpClient();

        using var response = await http.GetAsync("healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Healthy", health["checks"]!["database"]!["status"]!.GetValue<string>());
    }
}
