using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Outbox;

/// <summary>The ticket's confirmation email through the outbox, against a real SMTP server on loopback.</summary>
public sealed class TicketEmailOutboxTests : IDisposable
{
    private static readonly DateTimeOffset FridayAfternoon = TestClock.FridayAfternoon;
    private readonly FakeTimeProvider _clock = new(FridayAfternoon);
    private readonly FakeSmtpServer _smtp = new();

    public void Dispose() => _smtp.Dispose();

    [Fact]
    public async Task Confirmation_ArrivesBySmtp_WithTicketNumberAndDeadline()
    {
        _smtp.Start();
        using var app = App();
        await ChatSteps.CompleteHandoffAsync(app);

        var sent = await app.Services.GetRequiredService<OutboxProcessor>().ProcessDueAsync(CancellationToken.None);

        Assert.Equal(1, sent);
        var mail = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Assert.Single(_smtp.Messages))));
        Assert.Equal("anna.berg@gjuteri.se", mail.To.Mailboxes.Single().Address);
        Assert.Contains(TestClock.Ticket(1), mail.Subject, StringComparison.Ordinal);
        Assert.Contains($"Almi Företagspartner kontaktar dig senast {TestClock.SwedishDeadline}.", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal($"ticket-email-{TestClock.Ticket(1)}@exportcenter.bot", mail.MessageId);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task UnreachableServer_DelaysTheEmail_UntilItIsBack_AndItIsSentOnce(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        await ChatSteps.CompleteHandoffAsync(app);
        var processor = app.Services.GetRequiredService<OutboxProcessor>();

        Assert.Equal(0, await processor.ProcessDueAsync(CancellationToken.None)); // fails: nothing listens
        Assert.Equal(0, await processor.ProcessDueAsync(CancellationToken.None)); // not due yet (backoff)
        _clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(0, await processor.ProcessDueAsync(CancellationToken.None)); // fails a second time
        var pending = await OutboxRowAsync(app);
        Assert.Equal(2, pending.Attempts);
        Assert.Null(pending.SentAt);
        Assert.Equal("SocketException", pending.LastError);

        _smtp.Start();
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1, await processor.ProcessDueAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await processor.ProcessDueAsync(CancellationToken.None));

        Assert.Single(_smtp.Messages);
        Assert.NotNull((await OutboxRowAsync(app)).SentAt);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TwoWorkersRacing_SendTheEmailOnce(string provider)
    {
        _smtp.Start();
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        await ChatSteps.CompleteHandoffAsync(app);
        // Each worker is a processor of its own (its own lease owner), as on another instance.
        OutboxProcessor Worker() => ActivatorUtilities.CreateInstance<OutboxProcessor>(app.Services);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Worker().ProcessDueAsync(CancellationToken.None)));

        Assert.Equal(1, results.Sum());
        Assert.Single(_smtp.Messages);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task WithCredentials_AServerWithoutStartTls_GetsNeitherThePasswordNorTheEmail(string useStartTls)
    {
        // A server that offers AUTH on a plain connection and no STARTTLS, as an attacker in the middle would.
        var logins = new ConcurrentQueue<string>();
        _smtp.Start(new SmtpServer.Authentication.DelegatingUserAuthenticator((user, password) =>
        {
            logins.Enqueue(user);
            return true;
        }));
        using var app = new BotApp(
            new Dictionary<string, string?>
            {
                ["Email:SmtpHost"] = "127.0.0.1",
                ["Email:SmtpPort"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Email:UseStartTls"] = useStartTls,
                ["Email:Username"] = "exportcentrum",
                ["Email:Password"] = "hemligt-lösenord",
                ["Outbox:Enabled"] = "false",
            },
            s => s.AddSingleton<TimeProvider>(_clock));
        await ChatSteps.CompleteHandoffAsync(app);

        Assert.Equal(0, await app.Services.GetRequiredService<OutboxProcessor>().ProcessDueAsync(CancellationToken.None));

        Assert.Empty(logins);
        Assert.Empty(_smtp.Messages);
        var row = await OutboxRowAsync(app);
        Assert.Null(row.SentAt);
        Assert.Equal(1, row.Attempts);
        Assert.Equal("NotSupportedException", row.LastError); // MailKit: the server does not support STARTTLS
    }

    [Fact]
    public async Task WithoutSmtp_TheEmailIsWrittenToThePickupFolder()
    {
        using var app = new BotApp(
            new Dictionary<string, string?> { ["Outbox:Enabled"] = "false" },
            s => s.AddSingleton<TimeProvider>(_clock));
        await ChatSteps.CompleteHandoffAsync(app);

        await app.Services.GetRequiredService<OutboxProcessor>().ProcessDueAsync(CancellationToken.None);

        var file = Assert.Single(Directory.GetFiles(app.MailFolder, "*.eml"));
        Assert.Contains(TestClock.Ticket(1), await File.ReadAllTextAsync(file), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ACrashAfterTheServerAcceptedAnEmail_SendsItAgainUnderTheSameMessageId_OneDistinctIdPerEmail(string provider)
    {
        const int Emails = 40;
        _smtp.Start();
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        for (var i = 0; i < Emails; i++)
        {
            await CreateTicketAsync(app, string.Create(CultureInfo.InvariantCulture, $"kontakt{i}@foretag{i}.se"));
        }

        // Every email's worker crashes once between the server's 250 and the commit that marks the row sent.
        var checkpoints = app.Services.GetRequiredService<DeliveryCheckpoints>();
        var crashed = new HashSet<string>(StringComparer.Ordinal);
        for (var round = 1; crashed.Count < Emails; round++)
        {
            Assert.True(round <= 2 * Emails, $"Only {crashed.Count} crashes in {round - 1} rounds.");
            using var process = new CancellationTokenSource();
            checkpoints.Reached = (point, key) =>
            {
                if (point == DeliveryCheckpoint.Delivered && !process.IsCancellationRequested && crashed.Add(key))
                {
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
                // The crash: the row stays unsent and leased by the dead worker.
            }

            checkpoints.Reached = null;
            _clock.Advance(app.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.Lease + TimeSpan.FromSeconds(1));
        }

        while (await Worker(app).ProcessDueAsync(CancellationToken.None) > 0)
        {
        }

        var ids = _smtp.Messages.Select(m => MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m))).MessageId).ToList();
        Assert.Equal(2 * Emails, ids.Count); // the server holds every repeat: it deduplicates nothing
        Assert.Equal(Emails, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids.GroupBy(id => id, StringComparer.Ordinal), g => Assert.Equal(2, g.Count()));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var rows = await db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.TicketEmail).ToListAsync();
        Assert.All(rows, r => Assert.NotNull(r.SentAt));
        Assert.Equal(rows.Select(r => r.IdempotencyKey + "@exportcenter.bot").Order(StringComparer.Ordinal), ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        Measurements.Record($"Email crash test ({provider}): {Emails} emails, each worker crashed once after the SMTP server accepted it: {ids.Count} messages at the server, {ids.Distinct(StringComparer.Ordinal).Count()} distinct Message-IDs (1 per email)");
    }

    [Fact]
    public async Task AnEmailTheServerRefuses_StopsAfterThreeAttempts_ShowsOnTheTicket_AndTheTicketsNextEmailGoesOut()
    {
        _smtp.Start();
        _smtp.RefuseNext = 3;
        using var app = App();
        var number = await CreateTicketAsync(app, "anna.berg@gjuteri.se");
        var processor = app.Services.GetRequiredService<OutboxProcessor>();

        for (var i = 0; i < 6; i++)
        {
            await processor.ProcessDueAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Equal(3, _smtp.Refused);
        Assert.Empty(_smtp.Messages);
        var row = await OutboxRowAsync(app);
        Assert.Equal((3, 3, "SMTP 550"), (row.Attempts, row.PermanentFailures, row.LastError));
        Assert.NotNull(row.FailedAt);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            var failed = await db.TicketEvents.AsNoTracking().SingleAsync(e => e.Action == TicketAction.DeliveryFailed);
            Assert.Equal(("ticket-email SMTP 550", TicketSource.Delivery), (failed.Detail, failed.Source));
            Assert.True(await db.Outbox.AnyAsync(m => m.Kind == OutboxKinds.AdvisorCardUpdate && m.IdempotencyKey == $"card-{number}-failed-{row.Id}"), "The card is queued for an update that shows the failure.");
        }

        var (ticket, history) = (await app.Services.GetRequiredService<TicketQueries>().LoadAsync(number, CancellationToken.None))!.Value;
        var card = app.Services.GetRequiredService<AdvisorDelivery>().RenderCard(ticket, history, "directline");
        Assert.Contains("mejlet till företaget kunde inte skickas (SMTP 550)", System.Text.RegularExpressions.Regex.Unescape(card.GetRawText()), StringComparison.Ordinal);

        // The ticket's next email, in the same partition, is not held back by the refused one.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            var advisor = await db.Advisors.AsNoTracking().FirstAsync();
            Assert.True((await app.Services.GetRequiredService<TicketDesk>().ClaimAsync(advisor.Acting(TicketSource.AdvisorsPage), number, CancellationToken.None)).Done);
        }

        await processor.ProcessDueAsync(CancellationToken.None);
        var mail = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Assert.Single(_smtp.Messages))));
        Assert.Contains("har en rådgivare", mail.Subject, StringComparison.Ordinal);
    }

    /// <summary>A ticket as the handoff writes it, with a confirmation email to <paramref name="email"/>.</summary>
    private static async Task<string> CreateTicketAsync(BotApp app, string email) =>
        (await app.Services.GetRequiredService<ITicketService>().CreateAsync(
            new HandoffRequest(
                new HandoffState { Consent = true, Company = "Ludvika Gjuteri AB", ContactPerson = "Anna Berg", Email = email, Municipality = "Ludvika", PreferredLanguage = "sv", Summary = "Finansiering av en order till Kanada", TopicId = "export-finance", Confidence = 0.8f },
                "sv",
                "directline",
                "conversation-" + Guid.NewGuid().ToString("N"),
                new Microsoft.Bot.Schema.ConversationReference(),
                "Företaget: finansiering?"),
            CancellationToken.None)).Receipt!.Number;

    /// <summary>A processor of its own, as after a restart: a new lease owner.</summary>
    private static OutboxProcessor Worker(BotApp app) => ActivatorUtilities.CreateInstance<OutboxProcessor>(app.Services);

    private BotApp App(TestDatabase? database = null) => new(
        new Dictionary<string, string?>(database?.Settings ?? [])
        {
            ["Email:SmtpHost"] = "127.0.0.1",
            ["Email:SmtpPort"] = _smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:UseStartTls"] = "false",
            ["Outbox:Enabled"] = "false",
        },
        s => s.AddSingleton<TimeProvider>(_clock));

    private static async Task<OutboxMessage> OutboxRowAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().SingleAsync(m => m.Kind == OutboxKinds.TicketEmail);
    }
}
