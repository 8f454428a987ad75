using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Conversation;
using ExportCenter.Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.Dialogs;

/// <summary>
/// Past its capacity the bot sheds load at the door, before anything is stored or run: 429 with Retry-After on the
/// Direct Line routes (Web Chat gives up for good on a 5xx), 503 with Retry-After on /api/messages (Azure retries it).
/// A turn that finds a place in the queue waits for one and runs.
/// </summary>
public sealed class TurnAdmissionTests
{
    private static readonly string ChannelActivity = new JsonObject
    {
        ["type"] = "message",
        ["id"] = "1",
        ["channelId"] = "emulator",
        ["serviceUrl"] = "http://127.0.0.1:9/",
        ["text"] = "hej",
        ["deliveryMode"] = "expectReplies",
        ["from"] = new JsonObject { ["id"] = "user" },
        ["recipient"] = new JsonObject { ["id"] = "bot" },
        ["conversation"] = new JsonObject { ["id"] = "c" },
    }.ToJsonString();

    [Fact]
    public async Task AtCapacity_DirectLineAnswers429_AndApiMessages503_BothWithRetryAfter_AndNothingIsStoredOrRun()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["Bot:AllowUnauthenticatedMessages"] = "true",
            ["Bot:Admission:MaxConcurrentTurns"] = "1",
            ["Bot:Admission:QueueLength"] = "0",
            ["Bot:Admission:RetryAfter"] = "00:00:02",
        });
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        var before = (await client.HistoryAsync()).Count;
        var turnsBefore = app.TurnsReceived.Count;
        using var http = app.CreateHttpClient();

        using (var busy = await app.Services.GetRequiredService<TurnAdmission>().EnterAsync(CancellationToken.None))
        {
            Assert.True(busy.IsAcquired);
            using var post = await client.PostMessageAsync("Hur blir det med momsen?", "shed-1");
            using var channel = await http.PostAsync("api/messages", new StringContent(ChannelActivity, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.TooManyRequests, post.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), post.Headers.RetryAfter?.Delta);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, channel.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), channel.Headers.RetryAfter?.Delta);
            Assert.Equal(before, (await client.HistoryAsync()).Count);
            Assert.Equal(turnsBefore, app.TurnsReceived.Count);
        }

        using var again = await client.PostMessageAsync("Hur blir det med momsen?", "shed-2");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True((await client.HistoryAsync()).Count > before);
    }

    [Fact]
    public async Task ATurnThatFindsAPlaceInTheQueue_WaitsForTheRunningOne_ThenRuns()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["Bot:Admission:MaxConcurrentTurns"] = "1",
            ["Bot:Admission:QueueLength"] = "1",
        });
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        var admission = app.Services.GetRequiredService<TurnAdmission>();

        Task<HttpResponseMessage> queued;
        using (var busy = await admission.EnterAsync(CancellationToken.None))
        {
            queued = client.PostMessageAsync("Hur blir det med momsen?", "queued-1");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (admission.Waiting == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The second post never reached the queue.");
                await Task.Delay(20);
            }

            var third = await client.PostMessageAsync("och tullen?", "queued-2");
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            third.Dispose();
            Assert.False(queued.IsCompleted);
        }

        using var answered = await queued;
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
    }

    [Fact]
    public async Task ATurnThatWaitedItsLongest_IsTurnedAway_WhileTheQueueHasRoom()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["Bot:AllowUnauthenticatedMessages"] = "true",
            ["Bot:Admission:MaxConcurrentTurns"] = "1",
            ["Bot:Admission:QueueLength"] = "10",
            ["Bot:Admission:MaxWait"] = "00:00:00.300",
        });
        var client = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        var before = (await client.HistoryAsync()).Count;
        using var http = app.CreateHttpClient();

        using (var busy = await app.Services.GetRequiredService<TurnAdmission>().EnterAsync(CancellationToken.None))
        {
            using var post = await client.PostMessageAsync("Hur blir det med momsen?", "waited-1");
            using var channel = await http.PostAsync("api/messages", new StringContent(ChannelActivity, Encoding.UTF8, "application/json"));

            Assert.Equal(HttpStatusCode.TooManyRequests, post.StatusCode);
            Assert.NotNull(post.Headers.RetryAfter);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, channel.StatusCode);
            Assert.Equal(before, (await client.HistoryAsync()).Count);
            Assert.Equal(0, app.Services.GetRequiredService<TurnAdmission>().Waiting);
        }

        using var again = await client.PostMessageAsync("Hur blir det med momsen?", "waited-2");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }
}
