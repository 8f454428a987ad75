using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Retention;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ExportCenter.Bot.Tests.Advisors.LocalAdvisorLoopTests;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// The local advisors' conversation keeps the privacy notice's periods: a ticket's lines go with the ticket,
/// lines of no ticket after Retention:Conversations, an open ticket's lines stay however old; and a page that
/// opens reads the recent history only (Advisors:PageHistory), with every open ticket's card.
/// </summary>
public sealed class AdvisorPageRetentionTests
{
    private const string RelayedText = "Vi är nåbara efter klockan 15 idag";
    private readonly FakeTimeProvider _clock = new(TestClock.FridayAfternoon);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ResolvedTicketDeletedByRetention_TakesTheCompanysRelayedLinesOffTheAdvisorsPage_HoweverRecentTheyAre(string provider)
    {
        // Tickets kept 30 days after they are resolved, so the relayed lines are younger than the conversations' 90 days.
        using var database = TestDatabase.Create(provider);
        using var app = App(database, ("Retention:ResolvedTickets", "30.00:00:00"));
        var page = await OpenAdvisorsPageAsync(app, await SignedInAdvisorAsync(app));
        await ClaimedTicketWithARelayedLineAsync(app, page);
        using (await page.PostMessageAsync($"{TestClock.Ticket(1)} Jag ringer dig kl. 15.", "reply-1"))
        {
        }

        await PostValueAsync(page, new JsonObject { ["verb"] = "resolve", ["ticket"] = TestClock.Ticket(1), ["outcome"] = "answered" });
        await ChatSteps.DrainOutboxAsync(app);
        Assert.Contains(await ChatSteps.TextsAsync(page), t => t.Contains("Ludvika Gjuteri AB", StringComparison.Ordinal) && t.EndsWith(RelayedText, StringComparison.Ordinal));
        await page.ActivitiesAfterAsync(string.Empty);
        var openPagesWatermark = page.Watermark;

        // 31 days after the ticket was resolved, with the advisors' conversation in use all along.
        _clock.Advance(TimeSpan.FromDays(31));
        var (later, _) = await OpenPageAsync(app);
        using (await later.PostMessageAsync("god morgon", "today-1"))
        {
        }

        var swept = await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);
        await ChatSteps.DrainOutboxAsync(app);

        var history = Relaxed(await later.HistoryAsync());
        Assert.DoesNotContain("Ludvika Gjuteri AB", history, StringComparison.Ordinal);
        Assert.DoesNotContain("Anna Berg", history, StringComparison.Ordinal);
        Assert.DoesNotContain(RelayedText, history, StringComparison.Ordinal);
        Assert.True(swept.AdvisorsPageLines > 0);
        Assert.Contains("uppgifter är raderade", Relaxed(await CardAsync(later, TestClock.Ticket(1))), StringComparison.Ordinal);
        Assert.Contains(await ChatSteps.TextsAsync(later), t => t == "god morgon");

        // A page left open keeps paging from its watermark: the deleted lines lay under it, the new ones come.
        var sinceOpen = await later.ActivitiesAfterAsync(openPagesWatermark);
        Assert.Contains(sinceOpen, a => a!["text"]?.GetValue<string>() == "god morgon");
        Assert.True(long.Parse(later.Watermark, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(openPagesWatermark, System.Globalization.CultureInfo.InvariantCulture));

        // The redacted card, a line of no ticket now, goes once it is older than the conversations' period.
        _clock.Advance(TimeSpan.FromDays(60));
        var (last, _) = await OpenPageAsync(app);
        await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.DoesNotContain(await last.HistoryAsync(), a => a!["attachments"] is JsonArray { Count: > 0 });
        Assert.Contains(await ChatSteps.TextsAsync(last), t => t == "god morgon");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AdvisorsPageLinesOfNoTicket_GoAfterTheConversationsPeriod_WhileTheConversationIsInUse(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        var (first, _) = await OpenPageAsync(app);
        using (await first.PostMessageAsync("god morgon", "old-1"))
        {
        }

        _clock.Advance(TimeSpan.FromDays(60));
        var (second, _) = await OpenPageAsync(app);
        using (await second.PostMessageAsync("god kväll", "recent-1"))
        {
        }

        Assert.Equal(2, (await ChatSteps.TextsAsync(second)).Count(t => t.StartsWith(ExportCenter.Bot.Advisors.AdvisorTexts.NoOpenTickets, StringComparison.Ordinal)));
        _clock.Advance(TimeSpan.FromDays(31));
        var swept = await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);

        var texts = await ChatSteps.TextsAsync((await OpenPageAsync(app)).Page);
        Assert.Equal(0, swept.Conversations);
        Assert.DoesNotContain("god morgon", texts);
        Assert.Contains("god kväll", texts);
        Assert.Single(texts, t => t.StartsWith(ExportCenter.Bot.Advisors.AdvisorTexts.NoOpenTickets, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task OpenTicket_KeepsItsCardAndLinesHoweverOld_AndAPageOpeningAYearLaterGetsTheCardButNotTheOldLines(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        var page = await OpenAdvisorsPageAsync(app, await SignedInAdvisorAsync(app));
        await ClaimedTicketWithARelayedLineAsync(app, page);

        _clock.Advance(TimeSpan.FromDays(335));
        var (monthAgo, _) = await OpenPageAsync(app);
        using (await monthAgo.PostMessageAsync("en rad från förra månaden", "month-1"))
        {
        }

        _clock.Advance(TimeSpan.FromDays(30));
        var (today, _) = await OpenPageAsync(app);
        using (await today.PostMessageAsync("god morgon", "today-1"))
        {
        }

        await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);

        // Kept: the open ticket's card and the line the company wrote a year ago; the month-old line of no ticket.
        var texts = await ChatSteps.TextsAsync(today);
        Assert.Contains("Ludvika Gjuteri AB", Relaxed(await CardAsync(today, TestClock.Ticket(1))), StringComparison.Ordinal);
        Assert.Contains(texts, t => t.EndsWith(RelayedText, StringComparison.Ordinal));
        Assert.Contains("en rad från förra månaden", texts);
        Assert.DoesNotContain(texts, t => t.StartsWith($"Du har nu ärende {TestClock.Ticket(1)}", StringComparison.Ordinal)); // a year old, of no ticket
        Assert.DoesNotContain("retainWith", (await today.HistoryAsync()).ToJsonString(), StringComparison.Ordinal);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            var rows = await db.DirectLineActivities.AsNoTracking().Where(a => a.ConversationId == today.ConversationId).ToListAsync();
            Assert.Equal(TestClock.Ticket(1), Assert.Single(rows, a => a.Json.Contains("klockan 15 idag", StringComparison.Ordinal)).RetainWith);
        }

        // A page opening now starts from the last week: the card comes, the older lines do not.
        var (fresh, watermark) = await OpenPageAsync(app);
        var fromWatermark = await fresh.ActivitiesAfterAsync(watermark);
        var card = Assert.Single(fromWatermark, a => a!["attachments"] is JsonArray { Count: > 0 });
        Assert.Contains("Ludvika Gjuteri AB", Relaxed(card!), StringComparison.Ordinal);
        Assert.Contains(fromWatermark, a => a!["text"]?.GetValue<string>() == "god morgon");
        Assert.DoesNotContain(fromWatermark, a => a!["text"]?.GetValue<string>() is { } t && (t.EndsWith(RelayedText, StringComparison.Ordinal) || t == "en rad från förra månaden"));

        // The same from the stream Web Chat opens with that watermark.
        var streamed = await FirstStreamedSetAsync(fresh.StreamUrl!);
        Assert.Equal(fromWatermark.Select(a => a!["id"]!.GetValue<string>()), streamed.Select(a => a!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task IdleAdvisorsPage_WithAnOpenTicket_IsNotDeletedAsAWhole()
    {
        using var app = App();
        var page = await OpenAdvisorsPageAsync(app, await SignedInAdvisorAsync(app));
        await ChatSteps.CompleteHandoffAsync(app);
        await ChatSteps.DrainOutboxAsync(app);
        Assert.NotNull(await CardAsync(page, TestClock.Ticket(1)));

        _clock.Advance(TimeSpan.FromDays(100));
        await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);
        var (fresh, watermark) = await OpenPageAsync(app);

        Assert.Equal(page.ConversationId, fresh.ConversationId);
        Assert.Contains("Ludvika Gjuteri AB", Relaxed(await CardAsync(fresh, TestClock.Ticket(1))), StringComparison.Ordinal);
        Assert.Single(await fresh.ActivitiesAfterAsync(watermark), a => a!["attachments"] is JsonArray { Count: > 0 });
    }

    private BotApp App(TestDatabase? database = null, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>(database?.Settings ?? []) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new BotApp(all, s => s.AddSingleton<TimeProvider>(_clock));
    }

    /// <summary>A company's ticket, claimed on the page, and one message of the company relayed to the advisors.</summary>
    private static async Task ClaimedTicketWithARelayedLineAsync(BotApp app, DirectLineClient page)
    {
        var company = await ChatSteps.CompleteHandoffAsync(app);
        await ChatSteps.DrainOutboxAsync(app);
        await PostValueAsync(page, new JsonObject { ["verb"] = "claim", ["ticket"] = TestClock.Ticket(1) });
        await ChatSteps.DrainOutboxAsync(app);
        using (var response = await company.PostMessageAsync(RelayedText, "relay-1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await ChatSteps.DrainOutboxAsync(app);
        Assert.Contains(await ChatSteps.TextsAsync(page), t => t.EndsWith(RelayedText, StringComparison.Ordinal));
    }

    /// <summary>
    /// Opens the advisors' page as its script does: a fresh sign-in (tokens and links run on the test clock), the
    /// session, then Direct Line's reconnect with the session's watermark, which gives the stream URL.
    /// </summary>
    private static async Task<(DirectLineClient Page, string Watermark)> OpenPageAsync(BotApp app)
    {
        var advisor = await SignedInAdvisorAsync(app);
        using var response = await advisor.Http.PostAsync("api/advisors/session", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var watermark = session["watermark"]!.GetValue<string>();
        var page = new DirectLineClient(app.CreateHttpClient()) { Token = session["token"]!.GetValue<string>(), ConversationId = session["conversationId"]!.GetValue<string>() };
        using var reconnect = await page.SendAsync(HttpMethod.Get, $"v3/directline/conversations/{page.ConversationId}?watermark={watermark}", null);
        Assert.Equal(HttpStatusCode.OK, reconnect.StatusCode);
        var reconnected = (await reconnect.Content.ReadFromJsonAsync<JsonObject>())!;
        page.Token = reconnected["token"]!.GetValue<string>();
        page.StreamUrl = reconnected["streamUrl"]!.GetValue<string>();
        Assert.Contains($"watermark={watermark}&", page.StreamUrl, StringComparison.Ordinal);
        return (page, watermark);
    }

    /// <summary>The activities of the stream's first activity set (what was stored after its watermark).</summary>
    private static async Task<JsonArray> FirstStreamedSetAsync(string streamUrl)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri(streamUrl), timeout.Token);
        var buffer = new byte[256 * 1024];
        while (true)
        {
            var text = new StringBuilder();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
                text.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
            while (!result.EndOfMessage);
            if (text.Length > 0)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                return JsonNode.Parse(text.ToString())!["activities"]!.AsArray();
            }
        }
    }

    private static string Relaxed(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
