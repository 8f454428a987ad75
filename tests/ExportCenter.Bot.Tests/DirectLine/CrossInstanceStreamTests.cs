using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tests.Advisors;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>
/// Two instances on one PostgreSQL database, as behind a load balancer: a company's stream held open on one of them
/// gets what arrives through the other (its own messages' echoes, the bot's replies, typing), also after the database
/// dropped the connections that listen for them (what was stored meanwhile comes once they listen again), and an advisor's page stream closes at once when the sign-in ends on
/// the other. The keep-alive interval is set far beyond the deadlines, so only the signal between instances can
/// deliver in time (a stream also re-reads the database at each keep-alive).
/// </summary>
public sealed class CrossInstanceStreamTests(ITestOutputHelper output)
{
    /// <summary>Generous: the signal takes milliseconds; a missing one never comes.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AStreamOnInstanceA_GetsTheEchoAndTheReply_OfAMessagePostedThroughInstanceB()
    {
        using var database = TestDatabase.Create("postgres");
        using var a = App(database);
        using var b = App(database);
        var (onA, onB) = await OpenOnBothAsync(a, b);
        await using var stream = await OpenStreamAsync(onA);

        var posted = Stopwatch.GetTimestamp();
        using var response = await onB.PostMessageAsync("Hej! Vi vill börja exportera till Norge", "via-b-1");
        var answered = Stopwatch.GetTimestamp();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await stream.NextAsync(x => ClientActivityId(x) == "via-b-1", Deadline, "the echo of the message posted through B");
        var reply = await stream.NextAsync(x => IsFromBot(x) && x["type"]?.GetValue<string>() == "message", Deadline, "the bot's reply (the turn ran on B)");

        Assert.Equal("user", echo.Activity["from"]!["role"]!.GetValue<string>());
        Assert.Equal(echo.Activity["id"]!.GetValue<string>(), reply.Activity["replyToId"]?.GetValue<string>());
        output.WriteLine($"echo on A {Milliseconds(posted, echo.Timestamp):F1} ms after the post to B began; "
            + $"reply on A {Milliseconds(answered, reply.Timestamp):F1} ms after B answered the post (negative: before)");
    }

    [Fact]
    public async Task ATypingIndicatorPostedThroughInstanceB_ReachesTheStreamOnInstanceA()
    {
        using var database = TestDatabase.Create("postgres");
        using var a = App(database);
        using var b = App(database);
        var (onA, onB) = await OpenOnBothAsync(a, b);
        await using var stream = await OpenStreamAsync(onA);

        var posted = Stopwatch.GetTimestamp();
        using var response = await onB.PostActivityAsync(new JsonObject { ["type"] = "typing" }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var typing = await stream.NextAsync(x => x["type"]?.GetValue<string>() == "typing", Deadline, "the typing activity posted through B");

        Assert.Equal("user", typing.Activity["from"]!["role"]!.GetValue<string>());
        output.WriteLine($"typing on A {Milliseconds(posted, typing.Timestamp):F1} ms after the post to B began");
    }

    [Fact]
    public async Task AfterTheListeningConnectionsAreKilled_TheInstancesListenAgain_AndALaterMessageThroughB_ReachesTheStreamOnA()
    {
        using var database = TestDatabase.Create("postgres");
        using var a = App(database);
        using var b = App(database);
        var (onA, onB) = await OpenOnBothAsync(a, b);
        await using var stream = await OpenStreamAsync(onA);
        var before = await ListenersAsync(database, expected: 2);

        // As a database restart does: the server ends the sessions that listen, and the instances must listen anew.
        await TerminateAsync(database, before);
        var after = await ListenersAsync(database, expected: 2, except: before);
        using var response = await onB.PostMessageAsync("Hej igen", "after-kill");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await stream.NextAsync(x => ClientActivityId(x) == "after-kill", Deadline, "the message posted after the instances listened again");
        Assert.Empty(after.Intersect(before));
    }

    [Fact]
    public async Task AMessageStoredWhileInstanceAWasNotListening_ReachesItsStream_OnceItListensAgain()
    {
        using var database = TestDatabase.Create("postgres");
        using var a = App(database);
        using var b = App(database);
        var (onA, onB) = await OpenOnBothAsync(a, b);
        await using var stream = await OpenStreamAsync(onA);
        var reconnecting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Services.GetRequiredService<PostgresStreamSignals>().BeforeReconnect = async ct =>
        {
            reconnecting.TrySetResult();
            await release.Task.WaitAsync(ct);
        };

        await TerminateAsync(database, await ListenersAsync(database, expected: 2));
        await reconnecting.Task.WaitAsync(Deadline);

        // A does not listen: the signals of the echo and the reply are lost to it.
        using (var response = await onB.PostMessageAsync("Är ni kvar?", "while-deaf"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        release.SetResult();
        var echo = await stream.NextAsync(x => ClientActivityId(x) == "while-deaf", Deadline, "the message stored while A was not listening");
        await stream.NextAsync(x => IsFromBot(x) && x["replyToId"]?.GetValue<string>() == echo.Activity["id"]!.GetValue<string>(), Deadline, "its reply");
    }

    [Fact]
    public async Task AnAdvisorsStreamOnInstanceA_ClosesAtOnce_WhenTheAdvisorSignsOutOnInstanceB()
    {
        using var database = TestDatabase.Create("postgres");
        using var a = App(database);
        using var b = App(database);
        // One browser: one cookie jar for 127.0.0.1, whatever the port, so its requests may go to either instance.
        var cookies = new CookieContainer();
        using var viaA = a.CreateHttpClient(cookies);
        using var viaB = b.CreateHttpClient(cookies);
        var token = await a.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        (await viaA.PostAsync("advisors/signin", JsonContent.Create(new { token }))).EnsureSuccessStatusCode();
        var page = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(a, (0, viaA));
        await using var stream = await OpenStreamAsync(page);

        using var logout = await viaB.PostAsync("advisors/logout", null);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await stream.ClosedAsync(Deadline));
    }

    private static BotApp App(TestDatabase database) => new(new Dictionary<string, string?>(database.Settings)
    {
        ["DirectLine:KeepAliveInterval"] = "00:05:00",
        ["Outbox:Enabled"] = "false",
        ["Sla:Enabled"] = "false",
    });

    /// <summary>A company's conversation opened on A, and a client on B with the same token (the balancer's next pick).</summary>
    private static async Task<(DirectLineClient OnA, DirectLineClient OnB)> OpenOnBothAsync(BotApp a, BotApp b)
    {
        var onA = await new DirectLineClient(a.CreateHttpClient()).OpenAsync("sv-SE");
        return (onA, new DirectLineClient(b.CreateHttpClient()) { Token = onA.Token, ConversationId = onA.ConversationId });
    }

    /// <summary>
    /// A stream on the client's instance, once it is registered there: a typing activity the client posts to its own
    /// instance comes back on it.
    /// </summary>
    private static async Task<StreamReceiver> OpenStreamAsync(DirectLineClient client)
    {
        var stream = await StreamReceiver.ConnectAsync(client.StreamUrl!, Deadline);
        var typed = Stopwatch.StartNew();
        while (true)
        {
            using (var typing = await client.PostActivityAsync(new JsonObject { ["type"] = "typing" }.ToJsonString()))
            {
                Assert.Equal(HttpStatusCode.OK, typing.StatusCode);
            }

            try
            {
                await stream.NextAsync(x => x["type"]?.GetValue<string>() == "typing", TimeSpan.FromMilliseconds(200), "its own typing");
                return stream;
            }
            catch (TimeoutException) when (typed.Elapsed < Deadline)
            {
                // Posted before the stream was registered: typing is never stored, so it is not replayed. Again.
            }
        }
    }

    /// <summary>
    /// The server processes that listen for the instances' signals on this database, polled until
    /// <paramref name="expected"/> of them (none of <paramref name="except"/>) are listening.
    /// </summary>
    private static async Task<int[]> ListenersAsync(TestDatabase database, int expected, int[]? except = null)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND query LIKE 'LISTEN %'",
                connection)
            { Parameters = { new() { Value = PostgresStreamSignals.ApplicationName } } };
            var pids = new List<int>();
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    pids.Add(reader.GetInt32(0));
                }
            }

            pids.RemoveAll(p => except?.Contains(p) == true);
            if (pids.Count == expected)
            {
                return [.. pids];
            }

            Assert.True(deadline.Elapsed < Deadline, $"{pids.Count} new listening connections after {Deadline.TotalSeconds:0} s, not {expected}.");
            await Task.Delay(20);
        }
    }

    private static async Task TerminateAsync(TestDatabase database, int[] pids)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        foreach (var pid in pids)
        {
            await using var command = new NpgsqlCommand("SELECT pg_terminate_backend($1)", connection) { Parameters = { new() { Value = pid } } };
            Assert.True((bool)(await command.ExecuteScalarAsync())!);
        }
    }

    private static bool IsFromBot(JsonObject activity) => activity["from"]?["role"]?.GetValue<string>() == "bot";

    private static string? ClientActivityId(JsonObject activity) => activity["channelData"]?["clientActivityID"]?.GetValue<string>();

    private static double Milliseconds(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
