using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Conversation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// The SLA monitor on a fake clock: a ticket from Friday 14:00 (Stockholm) is due Monday 14:00; 75% of its
/// 24 counted working hours have passed on Monday at 08:00. Two hosts on one database stand for two
/// instances; a third started later stands for a restart.
/// </summary>
public sealed class SlaMonitorTests
{
    private static readonly DateTimeOffset FridayAfternoon = TestClock.FridayAfternoon;
    private static readonly DateTimeOffset MondayReminder = TestClock.MondayReminder;
    private static readonly DateTimeOffset MondayDeadline = TestClock.MondayDeadline;
    private readonly FakeTimeProvider _clock = new(FridayAfternoon);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ReminderOnceAt75Percent_EscalationOnceAtTheDeadline_AcrossTwoInstancesAndARestart(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var first = App(database);
        using var second = App(database);
        var number = (await CreateTicketAsync(first)).Number;
        Assert.Equal(MondayReminder, (await TicketAsync(first, number)).ReminderDueAt);

        _clock.SetUtcNow(MondayReminder.AddMinutes(-1));
        Assert.Equal(0, await BothAsync(first, second));

        _clock.SetUtcNow(MondayReminder);
        Assert.Equal(1, await BothAsync(first, second));
        Assert.Equal(0, await BothAsync(first, second));

        using (var restarted = App(database))
        {
            Assert.Equal(0, await Monitor(restarted).RunOnceAsync(CancellationToken.None));
        }

        _clock.SetUtcNow(MondayDeadline.AddMinutes(-1));
        Assert.Equal(0, await BothAsync(first, second));
        _clock.SetUtcNow(MondayDeadline);
        Assert.Equal(1, await BothAsync(first, second));
        Assert.Equal(0, await BothAsync(first, second));
        _clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, await BothAsync(first, second));

        var ticket = await TicketAsync(first, number);
        Assert.Equal(MondayReminder, ticket.RemindedAt);
        Assert.Equal(MondayDeadline, ticket.BreachedAt);
        await using var db = await Db(first);
        var messages = await db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.AdvisorMessage).OrderBy(m => m.Id).ToListAsync();
        Assert.Equal([$"sla-reminded-{number}", $"sla-escalated-{number}"], messages.Select(m => m.IdempotencyKey));
        var reminder = System.Text.Json.JsonSerializer.Deserialize<TicketTextPayload>(messages[0].Payload)!;
        var escalation = System.Text.Json.JsonSerializer.Deserialize<TicketTextPayload>(messages[1].Payload)!;
        Assert.StartsWith($"Påminnelse: ingen har tagit ärende {number}", reminder.Text, StringComparison.Ordinal);
        Assert.False(reminder.MentionCoordinator);
        Assert.StartsWith($"Deadline passerad: ärende {number}", escalation.Text, StringComparison.Ordinal);
        Assert.True(escalation.MentionCoordinator);
        Assert.Equal([TicketAction.Created, TicketAction.Reminded, TicketAction.Escalated], await db.TicketEvents.AsNoTracking().OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task AClaimedTicket_GetsNoReminderAndNoEscalation()
    {
        using var app = App();
        var number = (await CreateTicketAsync(app)).Number;
        await using (var db = await Db(app))
        {
            var advisor = await db.Advisors.AsNoTracking().FirstAsync();
            var claimed = await app.Services.GetRequiredService<TicketDesk>().ClaimAsync(advisor.Acting(TicketSource.AdvisorsPage), number, CancellationToken.None);
            Assert.True(claimed.Done);
        }

        _clock.SetUtcNow(MondayReminder);
        Assert.Equal(0, await Monitor(app).RunOnceAsync(CancellationToken.None));
        _clock.SetUtcNow(MondayDeadline.AddDays(1));
        Assert.Equal(0, await Monitor(app).RunOnceAsync(CancellationToken.None));

        var ticket = await TicketAsync(app, number);
        Assert.Null(ticket.RemindedAt);
        Assert.Null(ticket.BreachedAt);
        Assert.NotNull(ticket.ClaimedAt);
    }

    [Fact]
    public async Task AMonitorThatSleptThroughTheReminder_OnlyEscalates()
    {
        using var app = App();
        var number = (await CreateTicketAsync(app)).Number;

        _clock.SetUtcNow(MondayDeadline.AddHours(2));
        Assert.Equal(1, await Monitor(app).RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await Monitor(app).RunOnceAsync(CancellationToken.None));

        var ticket = await TicketAsync(app, number);
        Assert.Null(ticket.RemindedAt);
        Assert.NotNull(ticket.BreachedAt);
    }

    private BotApp App(TestDatabase? database = null) => new(
        new Dictionary<string, string?>(database?.Settings ?? []) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" },
        s => s.AddSingleton<TimeProvider>(_clock));

    /// <summary>The two instances' monitors racing (each host has its own monitor with its own lease owner).</summary>
    private static async Task<int> BothAsync(BotApp first, BotApp second)
    {
        var results = await Task.WhenAll(Monitor(first).RunOnceAsync(CancellationToken.None), Monitor(second).RunOnceAsync(CancellationToken.None));
        return results.Sum();
    }

    private static SlaMonitor Monitor(BotApp app) => app.Services.GetRequiredService<SlaMonitor>();

    private static async Task<TicketReceipt> CreateTicketAsync(BotApp app) =>
        (await app.Services.GetRequiredService<ITicketService>().CreateAsync(
            new HandoffRequest(
                new HandoffState { Consent = true, Company = "Ludvika Gjuteri AB", ContactPerson = "Anna Berg", Phone = "070-123 45 67", Municipality = "Ludvika", PreferredLanguage = "sv", Summary = "Finansiering av en order till Kanada", TopicId = "export-finance", Confidence = 0.8f },
                "sv",
                "directline",
                "conversation-" + Guid.NewGuid().ToString("N"),
                new Microsoft.Bot.Schema.ConversationReference(),
                "Företaget: finansiering?"),
            CancellationToken.None)).Receipt!;

    private static async Task<Ticket> TicketAsync(BotApp app, string number)
    {
        await using var db = await Db(app);
        return await db.Tickets.AsNoTracking().SingleAsync(t => t.Number == number);
    }

    private static Task<BotDbContext> Db(BotApp app) => app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
}
