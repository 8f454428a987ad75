using System.Diagnostics;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ExportCenter.Bot.Tests.Tickets;

/// <summary>
/// One ticket per handoff: the ticket store, given the same handoff key again (a turn repeated after a crash, one after
/// the other or at once), answers with the ticket already written and writes no second ticket, card or email.
/// </summary>
public sealed class TicketHandoffKeyTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CreateTwice_WithOneHandoffKey_MakesOneTicket_GivesTheSameReceipt_AndQueuesOneCardAndOneEmail(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        var tickets = app.Services.GetRequiredService<ITicketService>();
        var request = Request(Guid.NewGuid().ToString("N"));

        var first = await tickets.CreateAsync(request, CancellationToken.None);
        var again = await tickets.CreateAsync(request, CancellationToken.None);

        Assert.NotNull(first.Receipt);
        Assert.Equal(first.Receipt, again.Receipt);
        Assert.Equal(TestClock.Ticket(1), again.Receipt!.Number);
        Assert.Equal(new Written(1, 1, 1, 1), await WrittenAsync(app));
        await ChatSteps.DrainOutboxAsync(app);
        Assert.Single(Directory.GetFiles(app.MailFolder, "*.eml"));
    }

    [Fact]
    public async Task CreateAgain_PastTheLimitOfTicketsPerClient_GetsTheTicketItMade()
    {
        using var app = App(null, ("Tickets:Limits:TicketsPerClientPerHour", "1"));
        var tickets = app.Services.GetRequiredService<ITicketService>();
        var request = Request(Guid.NewGuid().ToString("N"), clientKey: "client-key-of-a-company");

        var first = await tickets.CreateAsync(request, CancellationToken.None);
        var again = await tickets.CreateAsync(request, CancellationToken.None);
        var another = await tickets.CreateAsync(Request(Guid.NewGuid().ToString("N"), clientKey: "client-key-of-a-company"), CancellationToken.None);

        // The repeat is the same ticket, not a new one: the limit does not count it, and still stops a new handoff.
        Assert.Equal(first.Receipt, again.Receipt);
        Assert.Null(another.Receipt);
        Assert.Equal(new Written(1, 1, 1, 1), await WrittenAsync(app));
    }

    [Fact]
    public async Task CreateWithoutAHandoffKey_MakesATicketEachTime()
    {
        using var app = App(null);
        var tickets = app.Services.GetRequiredService<ITicketService>();

        var first = await tickets.CreateAsync(Request(handoffKey: null), CancellationToken.None);
        var second = await tickets.CreateAsync(Request(handoffKey: null), CancellationToken.None);

        Assert.Equal((TestClock.Ticket(1), TestClock.Ticket(2)), (first.Receipt!.Number, second.Receipt!.Number));
        Assert.Equal(new Written(2, 2, 2, 2), await WrittenAsync(app));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task CreateAtOnce_WithOneHandoffKey_MakesOneTicket_AndEveryAttemptGetsItsReceipt(string provider)
    {
        const int Attempts = 6;
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        var tickets = app.Services.GetRequiredService<ITicketService>();
        var request = Request(Guid.NewGuid().ToString("N"));

        var results = await Task.WhenAll(Enumerable.Range(0, Attempts).Select(_ => Task.Run(() => tickets.CreateAsync(request, CancellationToken.None))));

        Assert.All(results, r => Assert.Equal(results[0].Receipt, r.Receipt));
        Assert.Equal(TestClock.Ticket(1), results[0].Receipt!.Number);
        Assert.Equal(new Written(1, 1, 1, 1), await WrittenAsync(app));
    }

    [Fact]
    public async Task TwoAttemptsPastTheCheckAtOnce_TheSecondMeetsTheUniqueKey_AndGetsTheFirstOnesTicket()
    {
        using var database = TestDatabase.Create("postgres");
        using var app = App(database);
        var tickets = app.Services.GetRequiredService<ITicketService>();
        Assert.Equal(TestClock.Ticket(1), (await tickets.CreateAsync(Request(Guid.NewGuid().ToString("N")), CancellationToken.None)).Receipt!.Number);
        var request = Request(Guid.NewGuid().ToString("N"));

        // The year's counter row is held, so both attempts look for the key, find no ticket, and wait at the counter:
        // the first to get it writes the ticket; the second then writes one with the same key and meets the unique index.
        List<TicketResult> results;
        await using (var holder = new NpgsqlConnection(database.ConnectionString))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await Execute(holder, """SELECT "Last" FROM "TicketCounters" FOR UPDATE""");
            var attempts = Enumerable.Range(0, 2).Select(_ => Task.Run(() => tickets.CreateAsync(request, CancellationToken.None))).ToList();
            await WaitersAsync(database, 2);
            await hold.CommitAsync();
            results = [.. await Task.WhenAll(attempts)];
        }

        Assert.Equal(results[0].Receipt, results[1].Receipt);
        Assert.Equal(TestClock.Ticket(2), results[0].Receipt!.Number);
        Assert.Equal(new Written(2, 2, 2, 2), await WrittenAsync(app));
    }

    private static BotApp App(TestDatabase? database, params (string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?>(database?.Settings ?? []) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return new BotApp(all, s => s.AddSingleton<TimeProvider>(TestClock.Create()));
    }

    /// <summary>A handoff's request as the dialog makes it, with a confirmation email; each in a conversation of its own.</summary>
    private static HandoffRequest Request(string? handoffKey, string? clientKey = null) => new(
        new HandoffState
        {
            HandoffKey = handoffKey,
            Consent = true,
            Company = "Ludvika Gjuteri AB",
            ContactPerson = "Anna Berg",
            Email = "anna.berg@gjuteri.se",
            Municipality = "Ludvika",
            PreferredLanguage = "sv",
            Summary = "Finansiering av en order till Kanada",
            TopicId = "export-finance",
            Confidence = 0.8f,
        },
        "sv",
        "directline",
        "conversation-" + Guid.NewGuid().ToString("N"),
        new ConversationReference(),
        "> Finansiering av en order till Kanada?",
        clientKey,
        handoffKey);

    /// <summary>What the store wrote: tickets, their "created" lines, cards and confirmation emails queued.</summary>
    private sealed record Written(int Tickets, int Created, int Cards, int Emails);

    private static async Task<Written> WrittenAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        return new Written(
            await db.Tickets.CountAsync(),
            await db.TicketEvents.CountAsync(e => e.Action == TicketAction.Created),
            await db.Outbox.CountAsync(m => m.Kind == OutboxKinds.AdvisorCardPost),
            await db.Outbox.CountAsync(m => m.Kind == OutboxKinds.TicketEmail));
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Waits until <paramref name="count"/> sessions of the database wait for a lock (the one the holder has). Asked on a
    /// connection of its own: inside the holder's transaction pg_stat_activity would show the same snapshot every time.
    /// </summary>
    private static async Task WaitersAsync(TestDatabase database, int count)
    {
        var waited = Stopwatch.StartNew();
        await using var watcher = new NpgsqlConnection(database.ConnectionString);
        await watcher.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", watcher);
        while (Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) < count)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"Fewer than {count} attempts came to wait at the year's counter within 30 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }
    }
}
