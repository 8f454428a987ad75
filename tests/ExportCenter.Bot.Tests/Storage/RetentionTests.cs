using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Retention;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Storage;

public sealed class RetentionTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Sweep_DeletesOnlyWhatIsPastItsPeriod(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var clock = TestClock.Create();
        using var app = new BotApp(database.Settings, s => s.AddSingleton<TimeProvider>(clock));
        var old = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        (await old.PostMessageAsync("Hur skaffar vi ett EORI-nummer?")).Dispose();
        var factory = app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Tickets.AddRange(Ticket(TestClock.Ticket(1), TicketStatus.Resolved, clock.GetUtcNow()), Ticket($"{TestClock.Ticket(2)}", TicketStatus.Open, null));
            await db.SaveChangesAsync();
        }

        clock.Advance(TimeSpan.FromDays(91));
        var recent = await new DirectLineClient(app.CreateHttpClient()).OpenAsync();
        var result = await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, result.Conversations);
        Assert.Equal(1, result.Tickets);
        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal([recent.ConversationId], await check.DirectLineConversations.Select(c => c.Id).ToListAsync());
        Assert.DoesNotContain(await check.DirectLineActivities.Select(a => a.ConversationId).ToListAsync(), id => id == old.ConversationId);
        Assert.DoesNotContain(await check.BotState.Select(s => s.Key).ToListAsync(), k => k.EndsWith(old.ConversationId, StringComparison.Ordinal));
        Assert.Equal([$"{TestClock.Ticket(2)}"], await check.Tickets.Select(t => t.Number).ToListAsync());
    }

    /// <summary>
    /// State the sweep deleted is gone for the next read too, also on SQLite, where the instance keeps the state it last
    /// read or wrote in memory; state still inside its period stays.
    /// </summary>
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Sweep_DeletedState_IsNotReadFromMemoryAfterwards(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var clock = TestClock.Create();
        using var app = new BotApp(database.Settings, s => s.AddSingleton<TimeProvider>(clock));
        var storage = app.Services.GetRequiredService<Microsoft.Bot.Builder.IStorage>();
        const string key = "directline/conversations/silent";
        await storage.WriteAsync(new Dictionary<string, object> { [key] = new Dictionary<string, object> { ["Language"] = "sv" } });
        Assert.Single(await storage.ReadAsync([key]));
        var sweeper = app.Services.GetRequiredService<RetentionSweeper>();

        clock.Advance(TimeSpan.FromDays(89));
        Assert.Equal(0, (await sweeper.SweepAsync(CancellationToken.None)).BotState);
        Assert.Single(await storage.ReadAsync([key]));

        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await sweeper.SweepAsync(CancellationToken.None)).BotState);
        Assert.Empty(await storage.ReadAsync([key]));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Sweep_DeletesOutboxRowsNeverSent_GivenUpOrStillFailing_AfterTheirPeriod(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var clock = TestClock.Create();
        using var app = new BotApp(new Dictionary<string, string?>(database.Settings) { ["Outbox:Enabled"] = "false" }, s => s.AddSingleton<TimeProvider>(clock));
        var factory = app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();
        var start = clock.GetUtcNow();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Outbox.AddRange(
                Row("sent-long-ago", start, sentAt: start),
                Row("given-up", start, failedAt: start.AddDays(1)),
                Row("still-failing", start),
                Row("written-long-ago-sent-lately", start, sentAt: start.AddDays(29)),
                Row("written-lately", start.AddDays(29)));
            await db.SaveChangesAsync();
        }

        clock.SetUtcNow(start.AddDays(31));
        var result = await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(3, result.Messages);
        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal(["written-lately", "written-long-ago-sent-lately"], await check.Outbox.Select(m => m.IdempotencyKey).OrderBy(k => k).ToListAsync());
    }

    private static OutboxMessage Row(string key, DateTimeOffset createdAt, DateTimeOffset? sentAt = null, DateTimeOffset? failedAt = null) => new()
    {
        Kind = OutboxKinds.TicketEmail,
        IdempotencyKey = key,
        Payload = "{}",
        CreatedAt = createdAt,
        NextAttemptAt = createdAt,
        SentAt = sentAt,
        FailedAt = failedAt,
        Attempts = sentAt is null ? 40 : 1,
        LastError = sentAt is null ? "HTTP 503" : null,
    };

    private static Ticket Ticket(string number, TicketStatus status, DateTimeOffset? resolvedAt) => new()
    {
        Number = number,
        Status = status,
        ResolvedAt = resolvedAt,
        CreatedAt = resolvedAt ?? DateTimeOffset.UnixEpoch,
        DueAt = resolvedAt ?? DateTimeOffset.UnixEpoch,
        SuggestedOrganisationId = "almi",
        Language = "sv",
        CompanyName = "Test AB",
        ContactPerson = "Test",
        Municipality = "Falun",
        PreferredLanguage = "sv",
        Summary = "test",
        ChannelId = "directline",
        ConversationId = "x",
        ConversationReference = "{}",
        TranscriptExcerpt = "",
    };
}
