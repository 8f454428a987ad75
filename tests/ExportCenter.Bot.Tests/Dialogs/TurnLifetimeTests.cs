using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Conversation;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace ExportCenter.Bot.Tests.Dialogs;

/// <summary>
/// A turn once accepted runs to its end whatever the client does, a cancelled turn never wipes the conversation, and
/// the turns of one conversation run one at a time, on one instance and across two on one PostgreSQL database, also
/// with more turns at once than the connection pool holds.
/// </summary>
public sealed class TurnLifetimeTests
{
    [Fact]
    public async Task ClientGoneMidTurn_TheTurnRunsToItsEnd_AndTheHandoffGoesOn()
    {
        var slow = new SlowReads();
        using var app = new BotApp(services: slow.Install);
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        Assert.Equal(HandoffTexts.Swedish.Consent, await Says(chat, "prata med en människa"));
        Assert.Equal(HandoffTexts.Swedish.Company, await Says(chat, "ja"));

        // The company's browser goes away while the turn is still reading its state.
        slow.Delay = TimeSpan.FromSeconds(1.5);
        using (var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => PostAsync(chat, "Ludvika Gjuteri AB", gone.Token));
        }

        slow.Delay = TimeSpan.Zero;
        Assert.Equal(HandoffTexts.Swedish.OrganisationNumber, await LastBotTextWithinAsync(chat, TimeSpan.FromSeconds(10), HandoffTexts.Swedish.OrganisationNumber));
        Assert.Equal(HandoffTexts.Swedish.ContactPerson, await Says(chat, "556036-0793"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task DoubleTapOnTheLastHandoffStep_MakesOneTicket(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var slow = new SlowReads();
        using var app = new BotApp(database.Settings, slow.Install);
        const int Conversations = 5;
        for (var i = 0; i < Conversations; i++)
        {
            var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
            await WalkToTheSummaryAsync(chat);

            // Both reads of the state happen before either turn writes it, unless the turns wait for each other.
            slow.Delay = TimeSpan.FromMilliseconds(150);
            var taps = await Task.WhenAll(PostAsync(chat, "ja", CancellationToken.None), PostAsync(chat, "ja", CancellationToken.None));
            slow.Delay = TimeSpan.Zero;
            Assert.All(taps, t => Assert.Equal(HttpStatusCode.OK, t.StatusCode));
        }

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        Assert.Equal(Conversations, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task DoubleTapAcrossTwoInstancesOnPostgres_MakesOneTicket()
    {
        using var database = TestDatabase.Create("postgres");
        var slowA = new SlowReads();
        var slowB = new SlowReads();
        using var a = new BotApp(database.Settings, slowA.Install);
        using var b = new BotApp(database.Settings, slowB.Install);
        const int Conversations = 4;
        for (var i = 0; i < Conversations; i++)
        {
            var viaA = await new DirectLineClient(a.CreateHttpClient()).OpenAsync("sv-SE");
            await WalkToTheSummaryAsync(viaA);
            var viaB = new DirectLineClient(b.CreateHttpClient()) { Token = viaA.Token, ConversationId = viaA.ConversationId };

            (slowA.Delay, slowB.Delay) = (TimeSpan.FromMilliseconds(150), TimeSpan.FromMilliseconds(150));
            var taps = await Task.WhenAll(PostAsync(viaA, "ja", CancellationToken.None), PostAsync(viaB, "ja", CancellationToken.None));
            (slowA.Delay, slowB.Delay) = (TimeSpan.Zero, TimeSpan.Zero);
            Assert.All(taps, t => Assert.Equal(HttpStatusCode.OK, t.StatusCode));
        }

        await using var db = await a.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        Assert.Equal(Conversations, await db.Tickets.CountAsync());
    }

    [Fact]
    public async Task PostgresLock_MoreTurnsAtOnceThanThePoolHolds_AllRunToTheirEnd()
    {
        // Each turn holds its lock's connection and takes a second one of the same pool for a query, as a turn does;
        // with every connection holding a lock, the queries would wait until the pool's timeout.
        using var database = TestDatabase.Create("postgres");
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 4, Timeout = 5 }.ConnectionString;
        using var locks = new PostgresConversationLock(connectionString);

        await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            await using var held = await locks.AcquireAsync($"conversation-{i}", CancellationToken.None);
            await using var query = new NpgsqlConnection(connectionString);
            await query.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT pg_sleep(0.05)", query);
            await command.ExecuteNonQueryAsync();
        }));
    }

    [Fact]
    public async Task InProcessLock_LetsOneTurnAtATimeThroughPerConversation_AndForgetsFinishedOnes()
    {
        var locks = new InProcessConversationLock();
        var first = await locks.AcquireAsync("c1", CancellationToken.None);
        var other = await locks.AcquireAsync("c2", CancellationToken.None);
        var second = locks.AcquireAsync("c1", CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await (await second).DisposeAsync();
        await other.DisposeAsync();
        Assert.Equal(0, locks.Count);
    }

    private static async Task WalkToTheSummaryAsync(DirectLineClient chat)
    {
        await Says(chat, "Vi har fått en stor order från Kanada men banken vill inte förskottera produktionen");
        foreach (var answer in new[] { "jag vill prata med en människa", "ja", "Ludvika Gjuteri AB", "hoppa över", "Anna Berg", "anna.berg@gjuteri.se", "Ludvika" })
        {
            await Says(chat, answer);
        }

        Assert.StartsWith("Så här sammanfattar jag", await Says(chat, "svenska"));
    }

    private static async Task<HttpResponseMessage> PostAsync(DirectLineClient chat, string text, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v3/directline/conversations/{chat.ConversationId}/activities");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
        request.Content = new StringContent(
            new JsonObject { ["type"] = "message", ["text"] = text, ["locale"] = "sv-SE", ["channelData"] = new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") } }.ToJsonString(),
            Encoding.UTF8,
            "application/json");
        return await chat.Http.SendAsync(request, cancellationToken);
    }

    private static async Task<string?> Says(DirectLineClient chat, string text)
    {
        using var response = await PostAsync(chat, text, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await chat.HistoryAsync()).Last()!["text"]?.GetValue<string>();
    }

    /// <summary>The last message of the history once it is the expected one, or whatever it is when the time is up.</summary>
    private static async Task<string?> LastBotTextWithinAsync(DirectLineClient chat, TimeSpan limit, string expected)
    {
        var until = DateTime.UtcNow + limit;
        string? last;
        do
        {
            last = (await chat.HistoryAsync()).Last()!["text"]?.GetValue<string>();
            if (last == expected)
            {
                return last;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < until);
        return last;
    }

    /// <summary>The real storage, with reads that take as long as the test says (and honour the turn's cancellation).</summary>
    private sealed class SlowReads
    {
        public TimeSpan Delay { get; set; } = TimeSpan.Zero;

        public void Install(IServiceCollection services)
        {
            services.RemoveAll<IStorage>();
            services.AddSingleton<IStorage>(sp => new Storage(ActivatorUtilities.CreateInstance<EfCoreStorage>(sp), this));
        }

        private sealed class Storage(IStorage inner, SlowReads owner) : IStorage
        {
            public async Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
            {
                if (owner.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(owner.Delay, cancellationToken);
                }

                return await inner.ReadAsync(keys, cancellationToken);
            }

            public Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default) => inner.WriteAsync(changes, cancellationToken);

            public Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default) => inner.DeleteAsync(keys, cancellationToken);
        }
    }
}
