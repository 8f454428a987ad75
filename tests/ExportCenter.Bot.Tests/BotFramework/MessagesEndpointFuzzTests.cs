using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tests.Fuzzing;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Tests.BotFramework;

/// <summary>
/// Generated activities (mutations of what Azure Direct Line and Teams send) against <c>/api/messages</c> with a
/// correctly signed channel token: no answer is a 5xx, a rejected activity never reaches the bot, an accepted one
/// reaches it exactly once, and no client text reaches a log.
/// </summary>
public sealed class MessagesEndpointFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Tenant = FakeBotConnector.DefaultTenantId;
    private const string ConversationPlaceholder = "fuzz-conversation";
    private const int ActivitiesPerConversation = 250;
    private readonly string _appId = Guid.NewGuid().ToString();
    private readonly CanaryLogSink _logs = new();
    private FakeTokenIssuer _issuer = null!;
    private FakeBotConnector _connector = null!;
    private BotApp _app = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync("msteams", "webchat", "directline");
        _connector = await FakeBotConnector.StartAsync();
        var settings = _connector.BotConfiguration(_appId, _issuer);
        settings["Teams:TenantId"] = Tenant;
        settings["Outbox:Enabled"] = "false";
        settings["Sla:Enabled"] = "false";
        _app = new BotApp(settings, services => _logs.AddTo(services));
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _connector.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task ApiMessages_GeneratedActivities_NeverAnswer5xx_AndReachTheBotOnlyWhenAccepted()
    {
        var tally = new FuzzTally();
        var token = _issuer.CreateToken(_appId, _connector.ServiceUrl.AbsoluteUri);
        using var http = _app.CreateHttpClient();

        try
        {
            await ActivityMutations.Of(AzureWebChatMessage(), TeamsMessage(), TeamsCardAction()).SampleAsync(
                activity => tally.CheckAsync(() => PostAndCheckAsync(http, token, activity, tally)),
                iter: FuzzTally.Count,
                threads: 1);
        }
        finally
        {
            output.WriteLine(tally.Summary("/api/messages") + $"; {_logs.Leaks.Count} log entries with client text");
            foreach (var entry in _logs.Leaks.Concat(_logs.Errors))
            {
                output.WriteLine(entry);
            }
        }

        Assert.Equal(0, tally.ServerErrors);
        Assert.Empty(_logs.Leaks);
    }

    private async Task PostAndCheckAsync(HttpClient http, string token, MutatedActivity activity, FuzzTally tally)
    {
        var conversation = ConversationPlaceholder + "-" + (tally.Posted / ActivitiesPerConversation).ToString(CultureInfo.InvariantCulture);
        var before = _app.TurnsReceived.Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages")
        {
            Content = new StringContent(activity.Json.Replace(ConversationPlaceholder, conversation, StringComparison.Ordinal), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await http.SendAsync(request);
        await tally.RecordAsync(response);
        Assert.True(FuzzTally.IsClientAnswer(response.StatusCode), $"{(int)response.StatusCode} for {activity}");

        // An invoke is answered by the bot itself, so a 4xx may come from a turn that ran.
        var turns = _app.TurnsReceived.Count - before;
        var expected = response.IsSuccessStatusCode ? "exactly once" : activity.Type == "invoke" ? "at most once" : "never";
        Assert.True(
            expected switch { "exactly once" => turns == 1, "at most once" => turns <= 1, _ => turns == 0 },
            $"{(int)response.StatusCode}: the bot should get it {expected} but got it {turns} times, for {activity}");
    }

    private JsonObject Envelope(string type, string channelId, JsonObject from, JsonObject conversation) => new()
    {
        ["type"] = type,
        ["id"] = "1740000000000",
        ["timestamp"] = "2026-03-02T09:15:00.1234567Z",
        ["localTimestamp"] = "2026-03-02T10:15:00.123+01:00",
        ["channelId"] = channelId,
        ["serviceUrl"] = _connector.ServiceUrl.AbsoluteUri,
        ["from"] = from,
        ["recipient"] = new JsonObject { ["id"] = "28:" + _appId, ["name"] = "ExportCenter" },
        ["conversation"] = conversation,
        ["locale"] = "sv-SE",
    };

    private JsonObject AzureWebChatMessage()
    {
        var activity = Envelope("message", "webchat",
            new JsonObject { ["id"] = "dl_visitor", ["name"] = "Besökare", ["role"] = "user" },
            new JsonObject { ["id"] = ConversationPlaceholder });
        activity["text"] = "Hur exporterar vi ost till Norge? " + ActivityMutations.Canary;
        activity["textFormat"] = "plain";
        activity["localTimezone"] = "Europe/Stockholm";
        activity["channelData"] = new JsonObject { ["clientActivityID"] = "1740000000000abc" };
        activity["entities"] = new JsonArray(new JsonObject { ["type"] = "ClientCapabilities", ["requiresBotState"] = true });
        activity["attachments"] = new JsonArray();
        return activity;
    }

    private JsonObject TeamsMessage()
    {
        var activity = Envelope("message", "msteams",
            new JsonObject { ["id"] = "29:advisor", ["name"] = "Anna", ["aadObjectId"] = "aad-anna" },
            new JsonObject { ["id"] = "a:" + ConversationPlaceholder, ["conversationType"] = "personal", ["tenantId"] = Tenant });
        activity["text"] = "status " + ActivityMutations.Canary;
        activity["deliveryMode"] = "expectReplies";
        activity["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } };
        return activity;
    }

    private JsonObject TeamsCardAction()
    {
        var activity = Envelope("invoke", "msteams",
            new JsonObject { ["id"] = "29:advisor", ["name"] = "Anna", ["aadObjectId"] = "aad-anna" },
            new JsonObject { ["id"] = "19:advisors@thread.tacv2;messageid=" + ConversationPlaceholder, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = Tenant });
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = "1739999999999";
        activity["channelData"] = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = Tenant },
            ["team"] = new JsonObject { ["id"] = "19:team-general@thread.tacv2" },
            ["channel"] = new JsonObject { ["id"] = "19:advisors@thread.tacv2" },
        };
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = "claim",
                ["data"] = new JsonObject { ["verb"] = "claim", ["ticket"] = "EXP-2026-00001", ["note"] = ActivityMutations.Canary },
            },
            ["trigger"] = "manual",
        };
        return activity;
    }
}
