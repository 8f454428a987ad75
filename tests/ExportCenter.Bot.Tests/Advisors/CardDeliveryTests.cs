using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Retention;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// How a ticket's card reaches the Teams channel when the worker crashes or Teams refuses: the real outbox processor and
/// delivery on the host's SQLite file or PostgreSQL, against the fake Bot Connector on loopback, which like the real one
/// keeps every post it receives and deduplicates nothing. A crash is the worker stopping at a
/// <see cref="DeliveryCheckpoint"/> (its own cancellation, so it records nothing more); a restart is a new processor, with
/// its own lease owner, once the dead one's lease has run out.
/// </summary>
public sealed class CardDeliveryTests : IAsyncLifetime
{
    private const string TeamId = "19:team-general@thread.tacv2";
    private const string AdvisorsChannel = "19:advisors@thread.tacv2";
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly string _appId = Guid.NewGuid().ToString();
    private FakeTokenIssuer _issuer = null!;
    private FakeBotConnector _teams = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync("msteams", "directline");
        _teams = await FakeBotConnector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _teams.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CrashesAtEveryPointOfACardsWay_LeaveASecondCardOnlyWhenTheyHitTheAnswerWindow_AndEachIsCounted(string provider)
    {
        const int Crashes = 200;
        const int Tickets = 80;
        using var database = TestDatabase.Create(provider);
        using var app = App(database.Settings);
        var numbers = new List<string>();
        for (var i = 0; i < Tickets; i++)
        {
            // Each ticket's post is followed by an update in its partition, so crashes hit updates as well.
            numbers.Add(await CreateTicketAsync(app, $"crash-{i}"));
            await QueueCardUpdateAsync(app, numbers[^1]);
        }

        var random = new Random(5); // the same crashes on every run
        var points = Enum.GetValues<DeliveryCheckpoint>();
        var crashes = new List<(DeliveryCheckpoint Point, string Subject)>();
        var checkpoints = app.Services.GetRequiredService<DeliveryCheckpoints>();
        for (var round = 1; crashes.Count < Crashes; round++)
        {
            Assert.True(round <= 3 * Crashes, $"Only {crashes.Count} of {Crashes} crashes happened in {round - 1} rounds: too few tickets left to crash on.");
            var point = points[random.Next(points.Length)];
            using var process = new CancellationTokenSource();
            checkpoints.Reached = (reached, subject) =>
            {
                if (reached == point && !process.IsCancellationRequested)
                {
                    crashes.Add((reached, subject));
                    process.Cancel();
                    throw new OperationCanceledException("The worker crashed here.", process.Token);
                }
            };
            try
            {
                await Worker(app).ProcessDueAsync(process.Token);
            }
            catch (OperationCanceledException) when (process.IsCancellationRequested)
            {
                // The crash: the row stays leased by the dead worker, and nothing after the point was recorded.
            }

            checkpoints.Reached = null;
            _clock.Advance(Lease(app) + TimeSpan.FromSeconds(1));
        }

        await DrainAsync(app);
        var tickets = await TicketsAsync(app);
        var possibleDuplicates = await EventsAsync(app, TicketAction.PossibleDuplicate);
        await ResolveAllAndLetRetentionDeleteThemAsync(app);
        await DrainAsync(app);

        var window = crashes.Where(c => c.Point == DeliveryCheckpoint.CardPostAnswered).GroupBy(c => c.Subject).ToDictionary(g => g.Key, g => g.Count());
        var beforeRequest = crashes.Where(c => c.Point == DeliveryCheckpoint.CardPostIntentRecorded).GroupBy(c => c.Subject).ToDictionary(g => g.Key, g => g.Count());
        var posts = _teams.Requests.Where(r => r.Operation == ConnectorOperation.CreateConversation).ToList();
        var updates = _teams.Requests.Where(r => r.Operation == ConnectorOperation.UpdateActivity).ToList();
        foreach (var number in numbers)
        {
            var mine = posts.Where(p => p.Body!["activity"]!["summary"]!.GetValue<string>() == $"Ärende {number}").ToList();
            var secondCards = window.GetValueOrDefault(number);
            Assert.True(mine.Count == 1 + secondCards, $"{number}: {mine.Count} cards at the connector, {secondCards} crashes in the answer window.");
            var (conversationId, activityId) = tickets[number];
            var kept = Assert.Single(mine, p => p.Answer!["id"]!.GetValue<string>() == conversationId);
            Assert.Equal(activityId, kept.Answer!["activityId"]!.GetValue<string>());
            if (secondCards > 0)
            {
                Assert.Contains("kortet kan finnas två gånger i kanalen", Relaxed(kept.Body!), StringComparison.Ordinal);
            }

            // The kept card is the one updated (once or, after a crash before its row was marked sent, again) and redacted.
            var mineUpdated = updates.Where(u => u.ConversationId == conversationId).ToList();
            Assert.True(mineUpdated.Count >= 2, $"{number}: {mineUpdated.Count} updates of its card.");
            Assert.All(mineUpdated, u => Assert.Equal(activityId, u.ActivityId));
            Assert.Contains("uppgifter är raderade", Relaxed(mineUpdated[^1].Body!), StringComparison.Ordinal);
            Assert.Equal(secondCards + beforeRequest.GetValueOrDefault(number), possibleDuplicates.GetValueOrDefault(number));
        }

        var orphans = posts.Select(p => p.Answer!["id"]!.GetValue<string>()).Except(tickets.Values.Select(t => t.ConversationId)).ToList();
        Assert.Equal(window.Values.Sum(), orphans.Count);
        Assert.DoesNotContain(updates, u => orphans.Contains(u.ConversationId!));
        var byPoint = string.Join(", ", points.Select(p => $"{p} {crashes.Count(c => c.Point == p)}"));
        var crashedTickets = crashes.Select(c => System.Text.RegularExpressions.Regex.Match(c.Subject, @"EXP-\d{4}-\d{5}").Value).Distinct(StringComparer.Ordinal).Count();
        Measurements.Record($"Card post crash test ({provider}): {Crashes} crashes on {crashedTickets} of {numbers.Count} tickets ({byPoint}): {posts.Count - numbers.Count} second cards at the fake Teams connector, "
            + $"all after the {window.Values.Sum()} crashes between its answer and the commit; counted as possible duplicates on the tickets: {possibleDuplicates.Values.Sum()} "
            + $"({window.Values.Sum()} of them real, {beforeRequest.Values.Sum()} after a crash before the request); every stored card is one the connector made, and the one updated and redacted");
    }

    [Fact]
    public async Task AShutdownTheMomentTeamsAnswers_StillRecordsTheCard_SoItIsNotPostedAgain()
    {
        using var app = App();
        var number = await CreateTicketAsync(app, "shutdown");
        using var shutdown = new CancellationTokenSource();
        app.Services.GetRequiredService<DeliveryCheckpoints>().Reached = (point, _) =>
        {
            if (point == DeliveryCheckpoint.CardPostAnswered)
            {
                shutdown.Cancel(); // the host begins to stop while the answer is on its way to the commit
            }
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Worker(app).ProcessDueAsync(shutdown.Token));
        app.Services.GetRequiredService<DeliveryCheckpoints>().Reached = null;
        _clock.Advance(Lease(app) + TimeSpan.FromSeconds(1));
        await DrainAsync(app);

        var post = Assert.Single(_teams.Requests, r => r.Operation == ConnectorOperation.CreateConversation);
        Assert.Equal(post.Answer!["id"]!.GetValue<string>(), (await TicketsAsync(app))[number].ConversationId);
        Assert.Empty(await EventsAsync(app, TicketAction.PossibleDuplicate));
        Assert.Equal(0, await UnsentAsync(app));
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotFound)]
    public async Task ACardPostTeamsRefuses_StopsAfterThreeAttempts_ShowsOnTheTicket_AndTheTicketsNextMessagePostsItAnew(HttpStatusCode status)
    {
        using var app = App();
        var number = await CreateTicketAsync(app, "refused");
        _teams.FailNext(3, status, match: r => r.Operation == ConnectorOperation.CreateConversation);

        for (var i = 0; i < 10; i++)
        {
            await Worker(app).ProcessDueAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(3, _teams.FailedAttempts.Count);
        Assert.DoesNotContain(_teams.Requests, r => r.Operation == ConnectorOperation.CreateConversation);
        var code = ((int)status).ToString(CultureInfo.InvariantCulture);
        await using (var db = await Db(app))
        {
            var row = await db.Outbox.AsNoTracking().SingleAsync(m => m.Kind == OutboxKinds.AdvisorCardPost);
            Assert.Equal((3, 3, "HTTP " + code), (row.Attempts, row.PermanentFailures, row.LastError));
            Assert.NotNull(row.FailedAt);
            Assert.Null(row.SentAt);
        }

        Assert.Equal(["advisor-card-post HTTP " + code], (await EventsAsync(app, TicketAction.DeliveryFailed, detail: true)).Keys);
        Assert.Empty(await EventsAsync(app, TicketAction.PossibleDuplicate)); // Teams answered: no card was made

        // The SLA reminder (a card update and a message in the thread) is not held back: it posts the card anew, with the failure in its history.
        _clock.SetUtcNow(TestClock.MondayReminder);
        Assert.Equal(1, await app.Services.GetRequiredService<SlaMonitor>().RunOnceAsync(CancellationToken.None));
        await DrainAsync(app);

        var post = Assert.Single(_teams.Requests, r => r.Operation == ConnectorOperation.CreateConversation);
        Assert.Contains($"kortet kunde inte skickas till rådgivarnas kanal (HTTP {code})", Relaxed(post.Body!), StringComparison.Ordinal);
        Assert.Equal(post.Answer!["id"]!.GetValue<string>(), (await TicketsAsync(app))[number].ConversationId);
        Assert.Contains(_teams.Requests, r => r.ConversationId == post.Answer!["id"]!.GetValue<string>() && r.Text?.StartsWith("Påminnelse", StringComparison.Ordinal) == true);
        Assert.Equal(0, await UnsentAsync(app));
    }

    [Fact]
    public async Task ACardPostThatKeepsFailingForNow_IsRetriedUntilOutboxGiveUpAfter_ThenGivenUpAndShownOnTheTicket()
    {
        using var app = App(new Dictionary<string, string?> { ["Outbox:GiveUpAfter"] = "01:00:00" });
        await CreateTicketAsync(app, "outage");
        using var outage = _teams.StartFailing(HttpStatusCode.ServiceUnavailable, match: r => r.Operation == ConnectorOperation.CreateConversation);
        var start = _clock.GetUtcNow();

        OutboxMessage row;
        do
        {
            await Worker(app).ProcessDueAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(1));
            await using var db = await Db(app);
            row = await db.Outbox.AsNoTracking().SingleAsync(m => m.Kind == OutboxKinds.AdvisorCardPost);
        }
        while (row.FailedAt is null && _clock.GetUtcNow() - start < TimeSpan.FromHours(3));

        Assert.NotNull(row.FailedAt);
        // Given up at the first attempt an hour or more after it was written: at most the longest backoff (15 min and
        // 10% jitter) and one step of the loop later.
        Assert.InRange(row.FailedAt.Value - start, TimeSpan.FromHours(1), TimeSpan.FromHours(1) + TimeSpan.FromMinutes(18));
        Assert.True(row.Attempts > 3, $"{row.Attempts} attempts: a failure for now is not stopped by the permanent rule.");
        Assert.Equal((0, "HTTP 503"), (row.PermanentFailures, row.LastError));
        Assert.Equal(["advisor-card-post HTTP 503"], (await EventsAsync(app, TicketAction.DeliveryFailed, detail: true)).Keys);
        Assert.Empty(await EventsAsync(app, TicketAction.PossibleDuplicate));
        Measurements.Record($"Card post while Teams answers 503 (Outbox:GiveUpAfter 1 h, fake clock): {row.Attempts} attempts, given up {(row.FailedAt.Value - start).TotalMinutes:0} min after it was written");
    }

    private BotApp App(IDictionary<string, string?>? extra = null)
    {
        var settings = _teams.BotConfiguration(_appId, _issuer);
        settings["Teams:TenantId"] = FakeBotConnector.DefaultTenantId;
        settings["Teams:TeamId"] = TeamId;
        settings["Teams:ChannelId"] = AdvisorsChannel;
        settings["Teams:ServiceUrl"] = _teams.ServiceUrl.AbsoluteUri;
        settings["Outbox:Enabled"] = "false";
        settings["Sla:Enabled"] = "false";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new BotApp(settings, s => s.AddSingleton<TimeProvider>(_clock));
    }

    /// <summary>A ticket as the handoff writes it (no email, no client address), with its card post queued.</summary>
    private static async Task<string> CreateTicketAsync(BotApp app, string conversationId) =>
        (await app.Services.GetRequiredService<ITicketService>().CreateAsync(
            new HandoffRequest(
                new HandoffState { Consent = true, Company = "Ludvika Gjuteri AB", ContactPerson = "Anna Berg", Phone = "070-123 45 67", Municipality = "Ludvika", PreferredLanguage = "sv", Summary = "Finansiering av en order till Kanada", TopicId = "export-finance", Confidence = 0.8f },
                "sv",
                "directline",
                conversationId,
                new Microsoft.Bot.Schema.ConversationReference(),
                "Företaget: finansiering?"),
            CancellationToken.None)).Receipt!.Number;

    private async Task QueueCardUpdateAsync(BotApp app, string number)
    {
        await using var db = await Db(app);
        var ticket = await db.Tickets.SingleAsync(t => t.Number == number);
        ticket.Version++;
        TicketOutbox.QueueCardUpdate(db, ticket, _clock.GetUtcNow());
        await db.SaveChangesAsync();
    }

    /// <summary>Resolves every ticket and lets retention delete them after their period, which queues the redaction of their cards.</summary>
    private async Task ResolveAllAndLetRetentionDeleteThemAsync(BotApp app)
    {
        await using (var db = await Db(app))
        {
            var now = _clock.GetUtcNow();
            await db.Tickets.ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Resolved).SetProperty(t => t.ResolvedAt, now));
        }

        _clock.Advance(TimeSpan.FromDays(91));
        Assert.True((await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None)).Tickets > 0);
    }

    /// <summary>A processor of its own, as after a restart: a new lease owner, nothing in memory from before.</summary>
    private static OutboxProcessor Worker(BotApp app) => ActivatorUtilities.CreateInstance<OutboxProcessor>(app.Services);

    private static TimeSpan Lease(BotApp app) => app.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.Lease;

    private static async Task DrainAsync(BotApp app)
    {
        for (var round = 0; round < 100; round++)
        {
            if (await Worker(app).ProcessDueAsync(CancellationToken.None) == 0)
            {
                return;
            }
        }

        Assert.Fail("The outbox was still sending after 100 rounds.");
    }

    /// <summary>Rows still to be sent (neither sent nor given up).</summary>
    private static async Task<int> UnsentAsync(BotApp app)
    {
        await using var db = await Db(app);
        return await db.Outbox.CountAsync(m => m.SentAt == null && m.FailedAt == null);
    }

    private static async Task<Dictionary<string, (string ConversationId, string ActivityId)>> TicketsAsync(BotApp app)
    {
        await using var db = await Db(app);
        var tickets = await db.Tickets.AsNoTracking().ToListAsync();
        Assert.All(tickets, t => Assert.Null(t.AdvisorPostStartedAt));
        return tickets.ToDictionary(t => t.Number, t => (t.AdvisorConversationId!, t.AdvisorActivityId!));
    }

    /// <summary>How many lines of an action each ticket's history has (or, with <paramref name="detail"/>, how many of each detail).</summary>
    private static async Task<Dictionary<string, int>> EventsAsync(BotApp app, TicketAction action, bool detail = false)
    {
        await using var db = await Db(app);
        var lines = await (from e in db.TicketEvents.AsNoTracking()
                           join t in db.Tickets.AsNoTracking() on e.TicketId equals t.Id
                           where e.Action == action
                           select new { t.Number, e.Detail }).ToListAsync();
        return lines.GroupBy(l => detail ? l.Detail ?? string.Empty : l.Number).ToDictionary(g => g.Key, g => g.Count());
    }

    private static Task<BotDbContext> Db(BotApp app) => app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();

    private static string Relaxed(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
