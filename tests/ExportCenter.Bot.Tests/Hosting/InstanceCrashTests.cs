using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using ExportCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Tests.Hosting;

/// <summary>
/// Crash safety of two bot processes on one PostgreSQL database: scripted companies hand off over Direct Line HTTP, each
/// request to either instance, while one instance or the other is killed with SIGKILL (<c>kill -9</c>) at random moments
/// and restarted. The cards go to the fake Teams connector and the emails to an SMTP server on loopback; both keep every
/// repeat, so what is counted is what a crash made.
/// </summary>
/// <remarks>
/// A kill comes after a random number of posts and a random few milliseconds more, or at a random moment of the quarter
/// second after an answer that makes a ticket, so it lands in turns, in the outbox workers' sends and between them. The
/// handoffs run in waves, one kill each, so a run has as many kills as planned
/// however fast the bot is; a wave starts once the killed instance is back. CI runs 20 handoffs with 3 kills;
/// <c>EXPORTCENTER_CRASH_HANDOFFS=200</c> a bigger run (a kill per 6 handoffs, at least 3, unless
/// <c>EXPORTCENTER_CRASH_KILLS</c> says otherwise; <c>EXPORTCENTER_CRASH_SEED</c> repeats a run's choices).
/// </remarks>
[Collection(Name)]
public sealed partial class InstanceCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    public const string Name = "Bot processes";
    public const string HandoffsVariable = "EXPORTCENTER_CRASH_HANDOFFS";
    public const string KillsVariable = "EXPORTCENTER_CRASH_KILLS";
    public const string SeedVariable = "EXPORTCENTER_CRASH_SEED";
    private const string TeamId = "19:team-general@thread.tacv2";
    private const string AdvisorsChannel = "19:advisors@thread.tacv2";
    private readonly string _appId = Guid.NewGuid().ToString();
    private readonly FakeSmtpServer _smtp = new();
    private FakeTokenIssuer _issuer = null!;
    private FakeBotConnector _teams = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync("msteams", "directline");
        _teams = await FakeBotConnector.StartAsync();
        _smtp.Start();
    }

    public async Task DisposeAsync()
    {
        _smtp.Dispose();
        await _teams.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task HandoffsAgainstTwoInstances_OneKilledAtRandomMoments_OneTicketPerHandoffConfirmedOnce_NoCardOrEmailTwiceButTheCountedOnes()
    {
        var handoffs = Setting(HandoffsVariable, 20);
        var kills = Math.Clamp(Setting(KillsVariable, Math.Max(3, handoffs / 6)), 1, handoffs);
        var seed = Setting(SeedVariable, 12);
        var took = Stopwatch.StartNew();
        using var database = TestDatabase.Create("postgres");
        var settings = Settings(database);

        // One after the other: the first applies the migrations to the new database.
        await using var first = await BotProcess.StartAsync("instance A", settings);
        await using var second = await BotProcess.StartAsync("instance B", settings);
        var instances = new InstancePool([first, second]);
        var random = new Random(seed);
        var companies = Enumerable.Range(0, handoffs).Select(i => new ScriptedCompany(i, instances, new Random(seed * 100_003 + i))).ToList();
        var running = new List<Task>();
        var killed = new List<(string Instance, bool AfterATicket)>();
        for (var wave = 0; wave < kills; wave++)
        {
            var from = wave * handoffs / kills;
            var waveTasks = companies.Skip(from).Take(((wave + 1) * handoffs / kills) - from).Select(c => Task.Run(c.RunAsync)).ToList();
            running.AddRange(waveTasks);

            // A random moment: half the kills come among the wave's posts (each handoff makes at least ten), a few
            // milliseconds into one; the others in the span after an answer that makes a ticket, while the turn commits
            // and confirms it and the outbox sends its card and email.
            var afterATicket = random.Next(2) == 0;
            var target = afterATicket ? instances.TicketPosts + random.Next(1, waveTasks.Count + 1) : instances.Posts + random.Next(1, 9 * waveTasks.Count);
            await Task.WhenAny(instances.Reached(target, afterATicket), Task.WhenAll(waveTasks));
            await Task.Delay(afterATicket ? random.Next(0, 250) : random.Next(0, 40));
            var victim = instances.All[random.Next(instances.All.Count)];
            instances.SetUp(victim, false);
            victim.Kill();
            killed.Add((victim.Name, afterATicket));

            // The other instance serves everything until this one is back.
            await victim.StartAgainAsync();
            instances.SetUp(victim, true);
        }

        await Task.WhenAll(running);
        var handedOff = took.Elapsed;
        await OutboxDeliveredAsync(database);

        await using var db = Db(database);
        var tickets = await db.Tickets.AsNoTracking().Select(t => new { t.Number, t.ConversationId, t.AdvisorConversationId }).ToListAsync();
        var possibleDuplicates = (await (from e in db.TicketEvents.AsNoTracking()
                                         join t in db.Tickets.AsNoTracking() on e.TicketId equals t.Id
                                         where e.Action == TicketAction.PossibleDuplicate
                                         select t.Number).ToListAsync()).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var cards = _teams.Requests.Where(r => r.Operation == ConnectorOperation.CreateConversation)
            .GroupBy(r => r.Body!["activity"]!["summary"]!.GetValue<string>()["Ärende ".Length..]).ToDictionary(g => g.Key, g => g.ToList());
        var emails = _smtp.Messages.Select(m => MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m))).MessageId ?? string.Empty)
            .Select(id => (Id: id, Number: EmailTicket().Match(id).Groups["number"].Value)).ToList();
        var confirmations = companies.SelectMany(c => c.Confirmations).GroupBy(n => n).ToDictionary(g => g.Key, g => g.Count());
        var numbers = tickets.Select(t => t.Number).ToHashSet(StringComparer.Ordinal);

        // Every handoff ended with one confirmation in its chat, of a ticket that exists, is of that chat, and was
        // confirmed to no one else.
        Assert.All(companies, c => Assert.True(c.Confirmations.Count == 1, $"Company {c.Index}: {c.Confirmations.Count} confirmations in its chat."));
        Assert.All(companies, c => Assert.Contains(tickets, t => t.Number == c.Confirmations[0] && t.ConversationId == c.ConversationId));
        Assert.All(confirmations, c => Assert.True(c.Value == 1, $"{c.Key} was confirmed {c.Value} times."));
        Assert.All(companies, c => Assert.True(c.FailedTurns == 0, $"Company {c.Index}: {c.FailedTurns} posts answered with a 5xx by an instance that was up."));

        // One ticket per handoff, whatever moment the kill came: a turn cut off after the ticket's commit, before the
        // company was told, ran again on the company's repeated answer and found the ticket its handoff key had made.
        Assert.All(companies, c => Assert.True(
            tickets.Count(t => t.ConversationId == c.ConversationId) == 1,
            $"Company {c.Index}: {tickets.Count(t => t.ConversationId == c.ConversationId)} tickets of its chat ({c.CutOffTicketPosts} of its summary answers cut off by a kill)."));
        Assert.Equal(handoffs, tickets.Count);

        // Every ticket has its card, and a second one only where the worker was killed between Teams' answer and the
        // commit of the card's ids: the ticket counts each restart in that window as a possible duplicate.
        foreach (var ticket in tickets)
        {
            var posted = cards.GetValueOrDefault(ticket.Number) ?? [];
            var counted = possibleDuplicates.GetValueOrDefault(ticket.Number);
            Assert.True(posted.Count >= 1 && posted.Count <= 1 + counted, $"{ticket.Number}: {posted.Count} cards at the connector, {counted} counted as possible duplicates.");
            Assert.Contains(posted, p => p.Answer!["id"]!.GetValue<string>() == ticket.AdvisorConversationId);
        }

        Assert.All(cards.Keys, number => Assert.Contains(number, numbers));

        // Every ticket has its email, under one Message-ID, however often a kill made the worker send it again.
        foreach (var ticket in tickets)
        {
            var ids = emails.Where(e => e.Number == ticket.Number).Select(e => e.Id).Distinct(StringComparer.Ordinal).ToList();
            Assert.True(ids.Count == 1, $"{ticket.Number}: {ids.Count} distinct Message-IDs at the SMTP server.");
        }

        Assert.All(emails, e => Assert.Contains(e.Number, numbers));
        Assert.Equal(kills, killed.Count);

        var secondCards = cards.Values.Sum(c => c.Count - 1);
        var resent = emails.Count - emails.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count();
        var logs = first.ReadOutput() + second.ReadOutput();
        var loggedDuplicates = Regex.Count(logs, @"\[8524\]");
        var foundWritten = Regex.Count(logs, @"\[6103\]");
        var line = string.Create(CultureInfo.InvariantCulture, $"""
            Crash test, two instances on PostgreSQL (seed {seed}): {handoffs} handoffs over Direct Line HTTP, {kills} kills with SIGKILL ({killed.Count(k => k.Instance == first.Name)} of instance A, {killed.Count(k => k.Instance == second.Name)} of instance B; {killed.Count(k => k.AfterATicket)} of them in the quarter second after an answer that makes a ticket), each restarted;
            {companies.Sum(c => c.CutOffPosts)} posts cut off by a kill ({companies.Sum(c => c.CutOffTicketPosts)} of them answers to the summary question), {instances.Posts} posts in all; {companies.Sum(c => c.Detours)} replies off the path (the bot had lost its last question: killed between a turn's stored reply and its saved state), in {companies.Count(c => c.Detours > 0)} handoffs;
            {confirmations.Count} tickets confirmed, {tickets.Count} tickets in the database (one per handoff; {foundWritten} repeated answers found their handoff's ticket already written, logged as event 6103), confirmations per confirmed ticket: {Spread(confirmations.Values)};
            cards per ticket at the connector: {Spread(tickets.Select(t => cards.GetValueOrDefault(t.Number)?.Count ?? 0))} ({secondCards} second cards; possible duplicates counted on the tickets: {possibleDuplicates.Values.Sum()}, logged as event 8524: {loggedDuplicates});
            emails: {emails.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count()} distinct Message-IDs for {tickets.Count} tickets (1 each), {emails.Count} deliveries ({resent} repeats under the same Message-ID);
            {handedOff.TotalSeconds:0} s to the last confirmation, {took.Elapsed.TotalSeconds:0} s until every card and email was out
            """);
        output.WriteLine(line);
        Measurements.Record(line);
    }

    private Dictionary<string, string?> Settings(TestDatabase database)
    {
        var settings = _teams.BotConfiguration(_appId, _issuer);
        foreach (var (key, value) in database.Settings.Concat(_smtp.BotSettings))
        {
            settings[key] = value;
        }

        settings["Storage:Provider"] = "PostgreSQL";
        settings["Teams:TenantId"] = FakeBotConnector.DefaultTenantId;
        settings["Teams:TeamId"] = TeamId;
        settings["Teams:ChannelId"] = AdvisorsChannel;
        settings["Teams:ServiceUrl"] = _teams.ServiceUrl.AbsoluteUri;

        // Every company writes from loopback, each with an email address of its own.
        settings["Tickets:Limits:TicketsPerClientPerHour"] = "10000";
        settings["Tickets:Limits:ConfirmationEmailsPerDay"] = "100000";

        // A killed worker's rows go to the other instance once their lease ends; a short lease keeps the run short.
        settings["Outbox:Lease"] = "00:00:15";
        settings["Sla:Enabled"] = "false";
        settings["Retention:Enabled"] = "false";
        return settings;
    }

    /// <summary>Waits until every outbox row is sent (none may be given up) and every ticket's card ids are stored.</summary>
    private static async Task OutboxDeliveredAsync(TestDatabase database)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            await using var db = Db(database);
            Assert.False(await db.Outbox.AnyAsync(m => m.FailedAt != null), "An outbox message was given up.");
            if (!await db.Outbox.AnyAsync(m => m.SentAt == null) && !await db.Tickets.AnyAsync(t => t.AdvisorActivityId == null || t.AdvisorPostStartedAt != null))
            {
                return;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(3), "The outbox still had messages to send 3 minutes after the last handoff.");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static PostgresBotDbContext Db(TestDatabase database) =>
        new(new DbContextOptionsBuilder<PostgresBotDbContext>().UseNpgsql(database.ConnectionString).Options);

    private static int Setting(string variable, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;

    /// <summary>"1 × 198, 2 × 2": how many have each count.</summary>
    private static string Spread(IEnumerable<int> counts) =>
        string.Join(", ", counts.GroupBy(c => c).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} × {g.Count()}")));

    [GeneratedRegex(@"^ticket-email-(?<number>EXP-\d{4}-\d{5})@exportcenter\.bot$")]
    private static partial Regex EmailTicket();
}

/// <summary>The tests that run bot processes run alone: each starts two instances and kills them many times.</summary>
[CollectionDefinition(InstanceCrashTests.Name, DisableParallelization = true)]
public sealed class BotProcessTests
{
}
