using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ExportCenter.Bot.Tests.Outbox;

/// <summary>The ticket's confirmation email through the outbox, against a real SMTP server on loopback.</summary>
public sealed class TicketEmailOutboxTests : IDisposable
{
    private static readonly DateTimeOffset FridayAfternoon = TestClock.FridayAfternoon;
    private readonly FakeTimeProvider _clock = new(FridayAfternoon);
    private readonly int _port = FreePort();
    private readonly Received _received = new();
    private CancellationTokenSource? _server;

    public void Dispose() => _server?.Cancel();

    [Fact]
    public async Task Confirmation_ArrivesBySmtp_WithTicketNumberAndDeadline()
    {
        StartSmtp();
        using var app = App();
        await ChatSteps.CompleteHandoffAsync(app);

        var sent = await app.Services.GetRequiredService<OutboxProcessor>().ProcessDueAsync(CancellationToken.None);

        Assert.Equal(1, sent);
        var mail = MimeKit.MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(Assert.Single(_received.Messages))));
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

        StartSmtp();
        _clock.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(1, await processor.ProcessDueAsync(CancellationToken.None));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await processor.ProcessDueAsync(CancellationToken.None));

        Assert.Single(_received.Messages);
        Assert.NotNull((await OutboxRowAsync(app)).SentAt);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TwoWorkersRacing_SendTheEmailOnce(string provider)
    {
        StartSmtp();
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        await ChatSteps.CompleteHandoffAsync(app);
        var services = app.Services;
        OutboxProcessor Worker() => new(
            services.GetRequiredService<IDbContextFactory<BotDbContext>>(),
            services.GetServices<IOutboxHandler>(),
            services.GetRequiredService<IOptions<OutboxOptions>>(),
            _clock,
            NullLogger<OutboxProcessor>.Instance);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Worker().ProcessDueAsync(CancellationToken.None)));

        Assert.Equal(1, results.Sum());
        Assert.Single(_received.Messages);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("false")]
    public async Task WithCredentials_AServerWithoutStartTls_GetsNeitherThePasswordNorTheEmail(string useStartTls)
    {
        // A server that offers AUTH on a plain connection and no STARTTLS, as an attacker in the middle would.
        var logins = new ConcurrentQueue<string>();
        StartSmtp(new SmtpServer.Authentication.DelegatingUserAuthenticator((user, password) =>
        {
            logins.Enqueue(user);
            return true;
        }));
        using var app = new BotApp(
            new Dictionary<string, string?>
            {
                ["Email:SmtpHost"] = "127.0.0.1",
                ["Email:SmtpPort"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Email:UseStartTls"] = useStartTls,
                ["Email:Username"] = "exportcentrum",
                ["Email:Password"] = "hemligt-lösenord",
                ["Outbox:Enabled"] = "false",
            },
            s => s.AddSingleton<TimeProvider>(_clock));
        await ChatSteps.CompleteHandoffAsync(app);

        Assert.Equal(0, await app.Services.GetRequiredService<OutboxProcessor>().ProcessDueAsync(CancellationToken.None));

        Assert.Empty(logins);
        Assert.Empty(_received.Messages);
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

    private BotApp App(TestDatabase? database = null) => new(
        new Dictionary<string, string?>(database?.Settings ?? [])
        {
            ["Email:SmtpHost"] = "127.0.0.1",
            ["Email:SmtpPort"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Email:UseStartTls"] = "false",
            ["Outbox:Enabled"] = "false",
        },
        s => s.AddSingleton<TimeProvider>(_clock));

    private static async Task<OutboxMessage> OutboxRowAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        return await db.Outbox.AsNoTracking().SingleAsync(m => m.Kind == OutboxKinds.TicketEmail);
    }

    /// <summary>An SMTP server on loopback without TLS; with an authenticator it offers AUTH on the plain connection.</summary>
    private void StartSmtp(SmtpServer.Authentication.IUserAuthenticator? authenticator = null)
    {
        _server = new CancellationTokenSource();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, _port)).AllowUnsecureAuthentication(authenticator is not null))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_received);
        if (authenticator is not null)
        {
            services.Add(authenticator);
        }

        _ = new SmtpServer.SmtpServer(options, services).StartAsync(_server.Token);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Received : MessageStore
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            Messages.Enqueue(Encoding.UTF8.GetString(buffer.ToArray()));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
