using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using ExportCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// The whole loop without Teams, over HTTP against the real host: the company's handoff, the card on the
/// local advisors' page (its own Direct Line conversation), claim, relay both ways, resolve; and the page's
/// sign-in, which nothing bypasses.
/// </summary>
public sealed class LocalAdvisorLoopTests
{
    private static readonly DateTimeOffset FridayAfternoon = TestClock.FridayAfternoon;
    private readonly FakeTimeProvider _clock = new(FridayAfternoon);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CompanyAsks_CardAppears_AdvisorClaimsRepliesResolves_CompanyIsToldEachStep(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        var (advisor, page, company) = await HandedOffAsync(app);
        var card = await CardAsync(page, TestClock.Ticket(1));
        Assert.Contains("Ludvika Gjuteri AB", card.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Action.Execute", card.ToJsonString(), StringComparison.Ordinal);

        // Claim (Action.Submit from the card, as Web Chat sends it).
        await PostValueAsync(page, new JsonObject { ["verb"] = "claim", ["ticket"] = TestClock.Ticket(1) });
        await ChatSteps.DrainOutboxAsync(app);
        Assert.Contains(await ChatSteps.TextsAsync(company), t => t.StartsWith($"Exportrådgivare på Region Dalarna har ditt ärende {TestClock.Ticket(1)} och kontaktar dig senast {TestClock.SwedishDeadline}.", StringComparison.Ordinal));
        var claimedCard = await CardAsync(page, TestClock.Ticket(1));
        Assert.Contains("Exportrådgivare (Region Dalarna) har ärendet", Relaxed(claimedCard), StringComparison.Ordinal);
        Assert.Equal(1, (await page.HistoryAsync()).Count(a => a!["attachments"] is JsonArray { Count: > 0 })); // updated in place, not posted again

        // The company writes: it goes to the advisor, and the bot does not answer from the knowledge base.
        var before = (await company.HistoryAsync()).Count;
        using (var response = await company.PostMessageAsync("Vi är nåbara efter klockan 15 idag", "relay-1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(before + 1, (await company.HistoryAsync()).Count);
        await ChatSteps.DrainOutboxAsync(app);
        var relayed = Assert.Single(await ChatSteps.TextsAsync(page), t => t.EndsWith("Vi är nåbara efter klockan 15 idag", StringComparison.Ordinal));
        Assert.Equal($"{TestClock.Ticket(1)} · Anna Berg (Ludvika Gjuteri AB): Vi är nåbara efter klockan 15 idag", WebChatMarkdown.VisibleText((await WebChatMarkdown.RenderAsync([relayed]))[0]));

        // The advisor writes back, with the ticket number first.
        using (var response = await page.PostMessageAsync($"{TestClock.Ticket(1)} Jag ringer dig kl. 15.", "reply-1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await ChatSteps.DrainOutboxAsync(app);
        Assert.Contains(await ChatSteps.TextsAsync(company), t => t == "Exportrådgivare, Region Dalarna: Jag ringer dig kl. 15.");

        // Resolve: the company is told, the relay ends and the bot answers again.
        await PostValueAsync(page, new JsonObject { ["verb"] = "resolve", ["ticket"] = TestClock.Ticket(1), ["outcome"] = "answered" });
        await ChatSteps.DrainOutboxAsync(app);
        Assert.Contains(await ChatSteps.TextsAsync(company), t => t.StartsWith($"Exportrådgivare på Region Dalarna har avslutat ditt ärende {TestClock.Ticket(1)}", StringComparison.Ordinal));
        var afterResolve = (await company.HistoryAsync()).Count;
        using (await company.PostMessageAsync("Hur skaffar vi ett EORI-nummer?", "after-1"))
        {
        }

        Assert.True((await company.HistoryAsync()).Count > afterResolve + 1, "the bot answers from the knowledge base again");

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.AsNoTracking().SingleAsync();
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Equal(TicketOutcome.Answered, ticket.Outcome);
        Assert.NotNull(ticket.ClaimedAt);
        Assert.NotNull(ticket.ResolvedAt);
        var audit = await db.TicketEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => new { e.Action, e.AdvisorId, e.Source }).ToListAsync();
        Assert.Equal([TicketAction.Created, TicketAction.Claimed, TicketAction.Relayed, TicketAction.Replied, TicketAction.Resolved], audit.Select(a => a.Action));
        Assert.All(audit.Where(a => a.Action is TicketAction.Claimed or TicketAction.Replied or TicketAction.Resolved), a => Assert.Equal((advisor.Id, TicketSource.AdvisorsPage), (a.AdvisorId, a.Source)));
        Assert.Equal(0, await db.Outbox.CountAsync(m => m.SentAt == null));

        // The company gave its email: confirmation, "an advisor has it" and "closed".
        Assert.Equal(3, Directory.GetFiles(app.MailFolder, "*.eml").Length);

        // 90 days after it was resolved the ticket is deleted, and its card no longer shows the company's details.
        _clock.Advance(TimeSpan.FromDays(91));
        page = await OpenAdvisorsPageAsync(app, await SignedInAdvisorAsync(app));
        using (await page.PostMessageAsync("hej", "keep-alive"))
        {
        }

        await app.Services.GetRequiredService<ExportCenter.Bot.Retention.RetentionSweeper>().SweepAsync(CancellationToken.None);
        await ChatSteps.DrainOutboxAsync(app);
        var redacted = Relaxed(await CardAsync(page, TestClock.Ticket(1)));
        Assert.Contains("uppgifter är raderade", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("Ludvika Gjuteri AB", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("Anna Berg", redacted, StringComparison.Ordinal);
    }

    /// <summary>
    /// A company's message is looked up against live tickets only once its conversation began a handoff; a state saved
    /// before that was recorded, or none at all (deleted after a long silence), is looked up as always.
    /// </summary>
    [Theory]
    [InlineData("sqlite", "state from before")]
    [InlineData("sqlite", "state deleted")]
    [InlineData("postgres", "state from before")]
    public async Task AClaimedTicketsConversation_IsRelayed_WhateverItsStateKnowsOfHandoffs(string provider, string state)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        var (_, page, company) = await HandedOffAsync(app);
        await PostValueAsync(page, new JsonObject { ["verb"] = "claim", ["ticket"] = TestClock.Ticket(1) });
        await ChatSteps.DrainOutboxAsync(app);

        var factory = app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var row = await db.BotState.SingleAsync(s => s.Key.EndsWith("/" + company.ConversationId));
            var json = JsonNode.Parse(row.Json)!.AsObject();
            Assert.True(json["ConversationData"]!["HandoffBegun"]!.GetValue<bool>());
            if (state == "state deleted")
            {
                db.BotState.Remove(row);
            }
            else
            {
                json["ConversationData"]!.AsObject().Remove("TracksHandoffs");
                json["ConversationData"]!.AsObject().Remove("HandoffBegun");
                row.Json = json.ToJsonString();
            }

            await db.SaveChangesAsync();
        }

        // State from an earlier version is met after a restart, deleted state after retention's sweep: either way the
        // instance does not have it in memory, as it has what it last wrote itself.
        app.Services.GetService<StateItemCache>()?.Clear();

        using (var response = await company.PostMessageAsync("Vi är nåbara efter klockan 15 idag", "relay-1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await ChatSteps.DrainOutboxAsync(app);
        Assert.Single(await ChatSteps.TextsAsync(page), t => t.EndsWith("Vi är nåbara efter klockan 15 idag", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheAdvisorsPage_IsNeverOpen()
    {
        using var app = App();
        using var anonymous = app.CreateHttpClient();

        using var page = await anonymous.GetAsync("advisors");
        using var session = await anonymous.PostAsync("api/advisors/session", JsonContent.Create(new { }));
        using var badLink = await anonymous.PostAsync("advisors/signin", JsonContent.Create(new { token = "forged" }));
        using var badPassword = await anonymous.PostAsync("advisors/login", JsonContent.Create(new { login = "radgivare", password = "guess-guess-guess" }));

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/advisors/login", page.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badLink.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badPassword.StatusCode);
    }

    [Fact]
    public async Task SignInLink_WorksOnce_ThenAHashedPasswordSignsIn()
    {
        using var app = App();
        var token = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        using var first = app.CreateHttpClient();
        using var second = app.CreateHttpClient();

        using var used = await first.PostAsync("advisors/signin", JsonContent.Create(new { token }));
        using var reused = await second.PostAsync("advisors/signin", JsonContent.Create(new { token }));
        using var tooShort = await first.PostAsync("advisors/password", JsonContent.Create(new { password = "short" }));
        using var set = await first.PostAsync("advisors/password", JsonContent.Create(new { password = "lång nog för rådgivare" }));
        using var signIn = await second.PostAsync("advisors/login", JsonContent.Create(new { login = "radgivare", password = "lång nog för rådgivare" }));
        using var pageAfter = await second.GetAsync("advisors");

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pageAfter.StatusCode);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var stored = await db.Advisors.AsNoTracking().SingleAsync(a => a.LocalLogin == "radgivare");
        Assert.DoesNotContain("lång nog", stored.PasswordHash!, StringComparison.Ordinal);
        Assert.Null(stored.SignInTokenHash);
    }

    [Fact]
    public async Task ACompanyCannotActAsAnAdvisor_NorPostInTheAdvisorsConversation()
    {
        using var app = App();
        var advisor = await SignedInAdvisorAsync(app);
        var page = await OpenAdvisorsPageAsync(app, advisor);
        var company = await ChatSteps.CompleteHandoffAsync(app);

        // A card action typed into the company's own conversation is not an advisor's action.
        await PostValueAsync(company, new JsonObject { ["verb"] = "claim", ["ticket"] = TestClock.Ticket(1) });
        // The company's token is bound to its conversation: the advisors' conversation refuses it.
        using var intoAdvisors = await company.PostActivityAsync(
            new JsonObject { ["type"] = "message", ["value"] = new JsonObject { ["verb"] = "claim", ["ticket"] = TestClock.Ticket(1) } }.ToJsonString(),
            conversationId: page.ConversationId);

        Assert.Equal(HttpStatusCode.Forbidden, intoAdvisors.StatusCode);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        Assert.Equal(TicketStatus.Open, (await db.Tickets.AsNoTracking().SingleAsync()).Status);
    }

    [Fact]
    public async Task ADeactivatedAdvisorsPageToken_StopsWorking()
    {
        using var app = App();
        var advisor = await SignedInAdvisorAsync(app);
        var page = await OpenAdvisorsPageAsync(app, advisor);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            await db.Advisors.Where(a => a.Id == advisor.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Active, false));
        }

        using var post = await page.PostMessageAsync($"{TestClock.Ticket(1)} hej", "x-1");
        using var read = await page.GetActivitiesAsync();
        using var refresh = await page.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refresh.StatusCode);
    }

    private BotApp App(TestDatabase? database = null) => new(
        new Dictionary<string, string?>(database?.Settings ?? []) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" },
        s => s.AddSingleton<TimeProvider>(_clock));

    /// <summary>An advisor signed in with the page open, and a company's handoff whose card has reached the page.</summary>
    private static async Task<((long Id, HttpClient Http) Advisor, DirectLineClient Page, DirectLineClient Company)> HandedOffAsync(BotApp app)
    {
        var advisor = await SignedInAdvisorAsync(app);
        var page = await OpenAdvisorsPageAsync(app, advisor);
        var company = await ChatSteps.CompleteHandoffAsync(app);
        await ChatSteps.DrainOutboxAsync(app);
        return (advisor, page, company);
    }

    internal static async Task<(long Id, HttpClient Http)> SignedInAdvisorAsync(BotApp app)
    {
        var token = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        var http = app.CreateHttpClient();
        using var response = await http.PostAsync("advisors/signin", JsonContent.Create(new { token }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        return ((await db.Advisors.SingleAsync(a => a.LocalLogin == "radgivare")).Id, http);
    }

    internal static async Task<DirectLineClient> OpenAdvisorsPageAsync(BotApp app, (long Id, HttpClient Http) advisor)
    {
        using var response = await advisor.Http.PostAsync("api/advisors/session", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var client = new DirectLineClient(app.CreateHttpClient()) { Token = session["token"]!.GetValue<string>(), ConversationId = session["conversationId"]!.GetValue<string>() };
        using var started = await client.StartAsync();
        Assert.True(started.IsSuccessStatusCode);
        return client;
    }

    internal static async Task PostValueAsync(DirectLineClient client, JsonObject value)
    {
        using var response = await client.PostActivityAsync(new JsonObject
        {
            ["type"] = "message",
            ["value"] = value,
            ["channelData"] = new JsonObject { ["postBack"] = true, ["clientActivityID"] = Guid.NewGuid().ToString("N") },
        }.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    internal static async Task<JsonObject> CardAsync(DirectLineClient page, string number)
    {
        var cards = (await page.HistoryAsync())
            .Select(a => a!["attachments"] is JsonArray { Count: > 0 } attachments ? attachments[0]!["content"] : null)
            .Where(c => c is not null && c.ToJsonString().Contains(number, StringComparison.Ordinal))
            .ToList();
        return Assert.Single(cards)!.AsObject();
    }

    private static string Relaxed(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
