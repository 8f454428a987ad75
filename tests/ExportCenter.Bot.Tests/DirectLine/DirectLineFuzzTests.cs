using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CsCheck;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tests.Fuzzing;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>
/// Generated activities (mutations of what Web Chat posts) against the embedded channel's post route: no answer is
/// a 5xx, a rejected activity leaves the history as it was, an accepted one is in it exactly once, and no client
/// text reaches a log.
/// </summary>
public sealed class DirectLineFuzzTests(ITestOutputHelper output) : IDisposable
{
    // A new conversation now and then keeps each conversation's state and history the size of a long chat.
    private const int ActivitiesPerConversation = 250;

    private readonly CanaryLogSink _logs = new();
    private BotApp? _app;

    public void Dispose() => _app?.Dispose();

    [Fact]
    public async Task PostActivity_GeneratedActivities_NeverAnswer5xx_AndChangeTheHistoryOnlyWhenAccepted()
    {
        _app = new BotApp(
            new Dictionary<string, string?>
            {
                // Thousands of posts from loopback: this test's own limits, far above the defaults.
                ["DirectLine:RateLimits:PostsPerClient"] = "100000",
                ["DirectLine:RateLimits:PostsPerConversation"] = "100000",
                ["DirectLine:RateLimits:TokensPerClient"] = "100000",
                ["DirectLine:RateLimits:Window"] = "01:00:00",
                ["Outbox:Enabled"] = "false",
            },
            _logs.AddTo);
        var tally = new FuzzTally();
        var session = new Session(_app);

        try
        {
            await ActivityMutations.Of(WebChatMessage(), CardSubmit(), JoinEvent()).SampleAsync(
                activity => tally.CheckAsync(async () => await PostAndCheckAsync(await session.ClientAsync(tally.Posted), activity, tally)),
                iter: FuzzTally.Count,
                threads: 1);
        }
        finally
        {
            output.WriteLine(tally.Summary("embedded Direct Line") + $"; {_logs.Leaks.Count} log entries with client text");
            foreach (var entry in _logs.Leaks.Concat(_logs.Errors))
            {
                output.WriteLine(entry);
            }
        }

        Assert.Equal(0, tally.ServerErrors);
        Assert.Empty(_logs.Leaks);
    }

    private static async Task PostAndCheckAsync(DirectLineClient client, MutatedActivity activity, FuzzTally tally)
    {
        var watermark = client.Watermark;
        using var response = await client.PostActivityAsync(activity.Json);
        await tally.RecordAsync(response);
        var added = await client.ActivitiesAfterAsync(watermark);
        Assert.True(FuzzTally.IsClientAnswer(response.StatusCode), $"{(int)response.StatusCode} for {activity}");

        var fromUser = added.Where(a => a?["from"]?["role"]?.GetValue<string>() == "user").ToList();
        if (!response.IsSuccessStatusCode)
        {
            Assert.True(added.Count == 0, $"{(int)response.StatusCode} yet the history changed, for {activity}");
            return;
        }

        // Typing is relayed to open streams only (docs/protocol.md §1): never stored.
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var expected = activity.Type == "typing" ? 0 : 1;
        Assert.True(fromUser.Count == expected && fromUser.Count(a => a!["id"]!.GetValue<string>() == id) == expected,
            $"accepted, but {fromUser.Count} user activities were added, for {activity}");
    }

    private static JsonObject WebChatMessage() => new()
    {
        ["type"] = "message",
        ["text"] = "Hur exporterar vi ost till Norge? " + ActivityMutations.Canary,
        ["textFormat"] = "plain",
        ["locale"] = "sv-SE",
        ["localTimestamp"] = "2026-03-02T10:15:00.000+01:00",
        ["localTimezone"] = "Europe/Stockholm",
        ["channelId"] = "webchat",
        ["from"] = new JsonObject { ["id"] = "web-user", ["name"] = "", ["role"] = "user" },
        ["channelData"] = new JsonObject { ["clientActivityID"] = "1740000000000abc" },
        ["entities"] = new JsonArray(new JsonObject
        {
            ["type"] = "ClientCapabilities",
            ["requiresBotState"] = true,
            ["supportsListening"] = false,
            ["supportsTts"] = false,
        }),
        ["attachments"] = new JsonArray(),
    };

    private static JsonObject CardSubmit() => new()
    {
        ["type"] = "message",
        ["locale"] = "sv-SE",
        ["value"] = new JsonObject { ["verb"] = "helped", ["answer"] = "no", ["note"] = ActivityMutations.Canary },
        ["channelData"] = new JsonObject { ["clientActivityID"] = "1740000000001def", ["postBack"] = true },
    };

    private static JsonObject JoinEvent() => new()
    {
        ["type"] = "event",
        ["name"] = "webchat/join",
        ["locale"] = "en-GB",
        ["value"] = new JsonObject { ["language"] = "en-GB", ["page"] = ActivityMutations.Canary },
    };

    /// <summary>The conversation the next activity goes to: a new one every <see cref="ActivitiesPerConversation"/>.</summary>
    private sealed class Session(BotApp app)
    {
        private DirectLineClient? _client;

        public async Task<DirectLineClient> ClientAsync(int posted)
        {
            if (_client is null || posted % ActivitiesPerConversation == 0)
            {
                _client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
                await _client.ActivitiesAfterAsync("");
            }

            return _client;
        }
    }
}
