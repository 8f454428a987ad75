using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Commands;
using ExportCenter.Bot.Insight;
using ExportCenter.Bot.Privacy;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ExportCenter.Bot.Tests.Advisors.LocalAdvisorLoopTests;

namespace ExportCenter.Bot.Tests.Privacy;

/// <summary>
/// <c>privacy export</c> and <c>privacy erase</c> on both databases: a company with a ticket (claimed on the advisors' page,
/// a relayed line, its confirmation email as an .eml file) and a second conversation whose handoff holds the same address
/// in its state. The export lists all of it; after the erasure none of it is in the database, and on SQLite not one byte of
/// the address is left in the database files.
/// </summary>
public sealed class PrivacyCommandTests
{
    private const string Address = "anna.berg@gjuteri.se";
    private readonly FakeTimeProvider _clock = new(TestClock.FridayAfternoon);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ExportListsEverything_AndEraseLeavesNoTrace(string provider)
    {
        PrivacyService.SecondPassDelay = TimeSpan.FromMilliseconds(100);
        using var database = TestDatabase.Create(provider);
        using var app = new BotApp(new Dictionary<string, string?>(database.Settings) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" }, s => s.AddSingleton<TimeProvider>(_clock));
        var page = await OpenAdvisorsPageAsync(app, await SignedInAdvisorAsync(app));
        var company = await ChatSteps.CompleteHandoffAsync(app);
        await ChatSteps.DrainOutboxAsync(app);
        await PostValueAsync(page, new JsonObject { ["verb"] = "claim", ["ticket"] = TestClock.Ticket(1) });
        await ChatSteps.DrainOutboxAsync(app);
        using (await company.PostMessageAsync("Vi nås på 070-765 43 21 efter lunch", "relay-1"))
        {
        }

        await ChatSteps.DrainOutboxAsync(app);
        // The advisor's own reply on the page is a line of no ticket (kept by age): it names the ticket.
        using (await page.PostMessageAsync($"{TestClock.Ticket(1)} Hej Anna, jag ringer dig i eftermiddag", "reply-1"))
        {
        }

        await ChatSteps.DrainOutboxAsync(app);
        // Another conversation, in the middle of a handoff: the address is only in its state.
        var second = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        foreach (var line in new[] { "prata med en människa", "ja", "Ludvika Gjuteri AB", "hoppa över", "Anna Berg", Address.ToUpperInvariant() })
        {
            using var response = await second.PostMessageAsync(line, Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await app.Services.GetRequiredService<AnswerRecordBuffer>().FlushAsync();
        Assert.Contains(Directory.GetFiles(app.MailFolder, "*.eml"), f => File.ReadAllText(f).Contains(Address, StringComparison.OrdinalIgnoreCase));

        var (exit, exported, _) = await RunAsync(app, "privacy", "export", "--email", "Anna.Berg@Gjuteri.se");
        Assert.Equal(0, exit);
        var export = JsonNode.Parse(exported)!;
        var ticket = Assert.Single(export["tickets"]!.AsArray())!;
        Assert.Equal(TestClock.Ticket(1), ticket["number"]!.GetValue<string>());
        Assert.Contains(ticket["events"]!.AsArray(), e => e!["action"]!.GetValue<string>() == "claimed");
        var conversations = export["conversations"]!.AsArray();
        Assert.Equal(new[] { company.ConversationId, second.ConversationId }.Order(StringComparer.Ordinal), conversations.Select(c => c!["conversationId"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(conversations, c => Assert.NotEmpty(c!["activities"]!.AsArray()));
        Assert.All(conversations, c => Assert.NotEmpty(c!["state"]!.AsArray()));
        Assert.Contains(conversations, c => c!["answerRecords"]!.AsArray().Count > 0);
        Assert.Contains(export["advisorsPageLines"]!.AsArray(), l => l!.ToJsonString().Contains("765 43 21", StringComparison.Ordinal));
        Assert.Contains(export["advisorsPageLines"]!.AsArray(), l => l!.ToJsonString().Contains("jag ringer dig", StringComparison.Ordinal));
        Assert.NotEmpty(export["outbox"]!.AsArray());
        Assert.NotEmpty(export["mailFiles"]!.AsArray());

        var (eraseExit, erasedJson, eraseError) = await RunAsync(app, "privacy", "erase", "--email", Address);
        Assert.True(eraseExit == 0, eraseError);
        var erased = JsonNode.Parse(erasedJson)!;
        Assert.Equal((1, 2), (erased["tickets"]!.GetValue<int>(), erased["conversations"]!.GetValue<int>()));
        Assert.True(erased["files"]!.GetValue<int>() >= 1);

        var factory = app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal(0, await db.Tickets.CountAsync());
            Assert.Equal(0, await db.TicketEvents.CountAsync());
            Assert.False(await db.DirectLineConversations.AnyAsync(c => c.Id == company.ConversationId || c.Id == second.ConversationId));
            Assert.False(await db.AnswerRecords.AnyAsync(r => r.ConversationId == company.ConversationId || r.ConversationId == second.ConversationId));
            Assert.False(await db.BotState.AnyAsync(s => s.Key.Contains(company.ConversationId) || s.Key.Contains(second.ConversationId)));
            var erasure = await db.PrivacyErasures.AsNoTracking().SingleAsync();
            Assert.Equal(("email", 1, 2), (erasure.By, erasure.Tickets, erasure.Conversations));
            // The card on the advisors' page is the redacted one, and its redaction is queued for open pages.
            Assert.Contains(await db.DirectLineActivities.AsNoTracking().Where(a => a.ConversationId == page.ConversationId).Select(a => a.Json).ToListAsync(),
                json => json.Contains("raderade", StringComparison.Ordinal) && json.Contains(TestClock.Ticket(1), StringComparison.Ordinal));
            Assert.Single(await db.Outbox.AsNoTracking().ToListAsync(), m => m.IdempotencyKey == "redact-" + TestClock.Ticket(1));
            foreach (var json in await db.DirectLineActivities.AsNoTracking().Select(a => a.Json).ToListAsync())
            {
                Assert.DoesNotContain(Address, json, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Ludvika Gjuteri", json, StringComparison.Ordinal);
                Assert.DoesNotContain("765 43 21", json, StringComparison.Ordinal);
                Assert.DoesNotContain("jag ringer dig", json, StringComparison.Ordinal);
            }

            foreach (var payload in await db.Outbox.AsNoTracking().Select(m => m.Payload).ToListAsync())
            {
                Assert.DoesNotContain(Address, payload, StringComparison.OrdinalIgnoreCase);
            }
        }

        Assert.DoesNotContain(Directory.GetFiles(app.MailFolder, "*.eml"), f => File.ReadAllText(f).Contains(Address, StringComparison.OrdinalIgnoreCase));

        // The queued redaction reaches the open page.
        await ChatSteps.DrainOutboxAsync(app);
        Assert.Contains("raderade", (await CardAsync(page, TestClock.Ticket(1))).ToJsonString(), StringComparison.Ordinal);

        if (provider == "sqlite")
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { app.DatabasePath, app.DatabasePath + "-wal" }.Where(File.Exists))
            {
                var bytes = await File.ReadAllBytesAsync(file);
                Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes(Address)) < 0 && IndexOf(bytes, Encoding.UTF8.GetBytes(Address.ToUpperInvariant())) < 0, $"{Path.GetFileName(file)} still holds the address");
                Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes("765 43 21")) < 0, $"{Path.GetFileName(file)} still holds the relayed phone number");
            }
        }

        // A second export finds nothing any more.
        var (_, again, _) = await RunAsync(app, "privacy", "export", "--email", Address);
        var empty = JsonNode.Parse(again)!;
        Assert.Empty(empty["tickets"]!.AsArray());
        Assert.Empty(empty["conversations"]!.AsArray());
    }

    [Theory]
    [InlineData(new[] { "privacy", "export" }, "Give exactly one of")]
    [InlineData(new[] { "privacy", "erase", "--email", "inte-en-adress" }, "is not an email address")]
    [InlineData(new[] { "privacy", "erase", "--orgnr", "12345" }, "is not an organisation number")]
    [InlineData(new[] { "privacy", "erase", "--email", "a@b.se", "--orgnr", "556677-8899" }, "Give exactly one of")]
    [InlineData(new[] { "privacy", "export", "--conversation", "utan-kanal" }, "is not CHANNEL:ID")]
    public async Task ABadSubject_IsRefusedWithTheReason_AndTouchesNothing(string[] args, string reason)
    {
        using var app = new BotApp();
        var (exit, output, error) = await RunAsync(app, args);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ByOrganisationNumber_FindsTheTicketHoweverTheNumberIsWritten()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" }, s => s.AddSingleton<TimeProvider>(_clock));
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        foreach (var line in new[] { "prata med en människa", "ja", "Ludvika Gjuteri AB", "556677-8899", "Anna Berg", Address, "Ludvika", "svenska", "ja" })
        {
            using var response = await chat.PostMessageAsync(line, Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var (_, exported, _) = await RunAsync(app, "privacy", "export", "--orgnr", "5566778899");
        Assert.Equal(TestClock.Ticket(1), Assert.Single(JsonNode.Parse(exported)!["tickets"]!.AsArray())!["number"]!.GetValue<string>());
    }

    [Fact]
    public async Task AChatRequest_IsListedForCoordinators_WithItsCommand_AndItsErasureRemovesIt()
    {
        PrivacyService.SecondPassDelay = TimeSpan.FromMilliseconds(100);
        using var app = new BotApp(new Dictionary<string, string?> { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" }, s => s.AddSingleton<TimeProvider>(_clock));
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        using (var response = await chat.PostMessageAsync("Hej! Radera mina uppgifter tack", "privacy-1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.StartsWith("Vi har tagit emot din begäran om att radera dina uppgifter. Den har nummer PR-00001.", (await ChatSteps.TextsAsync(chat)).Last(), StringComparison.Ordinal);
        var (_, coordinator) = await SignedInAdvisorAsync(app);
        var requests = (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonArray>(coordinator, "api/privacy/requests"))!;
        var request = Assert.Single(requests)!;
        Assert.Equal(("PR-00001", "erasure"), (request["reference"]!.GetValue<string>(), request["kind"]!.GetValue<string>()));
        var command = request["command"]!.GetValue<string>();
        Assert.EndsWith($"privacy erase --conversation directline:{chat.ConversationId}", command, StringComparison.Ordinal);

        var (exit, _, error) = await RunAsync(app, [.. command.Split(' ').SkipWhile(w => w != "privacy")]);
        Assert.True(exit == 0, error);
        Assert.Empty((await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonArray>(coordinator, "api/privacy/requests"))!);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        Assert.False(await db.DirectLineActivities.AnyAsync(a => a.ConversationId == chat.ConversationId));
        Assert.Equal("conversation", (await db.PrivacyErasures.SingleAsync()).By);
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(BotApp app, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PrivacyCommand.RunAsync(app.Services, args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
