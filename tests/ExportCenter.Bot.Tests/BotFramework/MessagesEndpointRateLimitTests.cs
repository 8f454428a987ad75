using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Testing;

namespace ExportCenter.Bot.Tests.BotFramework;

/// <summary>
/// The limit on <c>/api/messages</c> (Bot:RateLimits): every request comes from Azure's address (here all from
/// loopback), so it counts per channel and conversation, and only activities with a valid channel token count.
/// </summary>
public sealed class MessagesEndpointRateLimitTests : IAsyncLifetime
{
    private const string AppId = "6c2e9a41-0b7d-4f3e-8a15-d94b7c0e2f68";
    private const string ServiceUrl = "https://smba.trafficmanager.net/emea/";
    private FakeTokenIssuer _issuer = null!;
    private BotApp _app = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync("msteams", "webchat", "directline");
        _app = new BotApp(
            new Dictionary<string, string?>
            {
                ["MicrosoftAppId"] = AppId,
                ["MicrosoftAppPassword"] = "not-used-in-these-tests",
                ["MicrosoftAppType"] = "MultiTenant",
                ["ToBotFromChannelOpenIdMetadataUrl"] = _issuer.MetadataUrl.AbsoluteUri,
                ["ToBotFromChannelTokenIssuer"] = FakeTokenIssuer.Issuer,
                ["ToBotFromEmulatorOpenIdMetadataUrl"] = _issuer.MetadataUrl.AbsoluteUri,
                ["ToChannelFromBotLoginUrl"] = "https://login.microsoftonline.com/botframework.com",
                ["ToChannelFromBotOAuthScope"] = "https://api.botframework.com",
                ["OAuthUrl"] = "https://api.botframework.com",
                ["CallerId"] = "urn:botframework:azure",
                ["ValidateAuthority"] = "true",
                ["Bot:RateLimits:ActivitiesPerConversation"] = "2",
                ["Bot:RateLimits:Window"] = "01:00:00",
            });
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task PastItsLimit_AConversationGets429WithRetryAfter_WhileAnotherFromTheSameAddressIsServed()
    {
        var token = _issuer.CreateToken(AppId, ServiceUrl);

        using var first = await PostAsync(token, "a:chat-one");
        using var second = await PostAsync(token, "a:chat-one");
        using var third = await PostAsync(token, "a:chat-one");
        using var otherConversation = await PostAsync(token, "a:chat-two");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.True(third.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("TooManyRequests", (await third.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, otherConversation.StatusCode);
        Assert.Equal(3, _app.TurnsReceived.Count);
    }

    [Fact]
    public async Task TheSameConversationIdOnAnotherChannel_HasItsOwnLimit()
    {
        var token = _issuer.CreateToken(AppId, ServiceUrl);
        (await PostAsync(token, "shared-id")).Dispose();
        (await PostAsync(token, "shared-id")).Dispose();

        using var webChat = await PostAsync(token, "shared-id", channelId: "webchat");

        Assert.Equal(HttpStatusCode.OK, webChat.StatusCode);
    }

    [Fact]
    public async Task RequestsWithoutAValidToken_DoNotSpendTheConversationsLimit()
    {
        for (var i = 0; i < 3; i++)
        {
            using var forged = await PostAsync(FakeTokenIssuer.CreateUnsignedToken(AppId, ServiceUrl), "a:chat-three");
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }

        var token = _issuer.CreateToken(AppId, ServiceUrl);
        using var first = await PostAsync(token, "a:chat-three");
        using var second = await PostAsync(token, "a:chat-three");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }

    [Fact]
    public async Task WithoutCredentials_NoActivityHasAChannelToken_SoNoneIsCounted()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["Bot:AllowUnauthenticatedMessages"] = "true",
            ["Bot:RateLimits:ActivitiesPerConversation"] = "2",
            ["Bot:RateLimits:Window"] = "01:00:00",
        });

        for (var i = 0; i < 4; i++)
        {
            using var response = await PostAsync(app, token: null, "a:chat-four");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(4, app.TurnsReceived.Count);
    }

    private Task<HttpResponseMessage> PostAsync(string token, string conversationId, string channelId = "msteams") =>
        PostAsync(_app, token, conversationId, channelId);

    private static async Task<HttpResponseMessage> PostAsync(BotApp app, string? token, string conversationId, string channelId = "msteams")
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = "1730000000000",
            ["channelId"] = channelId,
            ["serviceUrl"] = ServiceUrl,
            ["text"] = "Hej",
            ["locale"] = "sv-SE",
            ["deliveryMode"] = "expectReplies",
            ["from"] = new JsonObject { ["id"] = "29:someone", ["name"] = "Someone" },
            ["recipient"] = new JsonObject { ["id"] = "28:" + AppId, ["name"] = "ExportCenter" },
            ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = "personal", ["tenantId"] = "tenant" },
        };
        using var http = app.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
