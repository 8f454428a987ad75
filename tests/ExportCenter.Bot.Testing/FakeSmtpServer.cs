using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Text;
using SmtpServer;
using SmtpServer.Authentication;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// An SMTP server on loopback without TLS (the SmtpServer library) that keeps every message it accepts, repeats
/// included: like a real server it deduplicates nothing, so a test counts what the bot sent. Its port is chosen at
/// construction and the server listens from <see cref="Start"/>, so a bot can be pointed at it while nothing listens
/// yet. The next <see cref="RefuseNext"/> messages are refused with 550 after DATA instead.
/// </summary>
public sealed class FakeSmtpServer : IDisposable
{
    private readonly Store _store = new();
    private CancellationTokenSource? _server;

    public int Port { get; } = LoopbackPorts.Free();

    /// <summary>Every accepted message as its raw text, in arrival order.</summary>
    public ConcurrentQueue<string> Messages => _store.Messages;

    public int RefuseNext
    {
        get => _store.RefuseNext;
        set => _store.RefuseNext = value;
    }

    /// <summary>How many messages were refused.</summary>
    public int Refused => _store.Refused;

    /// <summary>The settings that point the bot at this server, without STARTTLS.</summary>
    public Dictionary<string, string?> BotSettings => new()
    {
        ["Email:SmtpHost"] = "127.0.0.1",
        ["Email:SmtpPort"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:UseStartTls"] = "false",
    };

    /// <summary>Starts listening; with an authenticator the server offers AUTH on the plain connection.</summary>
    public void Start(IUserAuthenticator? authenticator = null)
    {
        _server = new CancellationTokenSource();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).AllowUnsecureAuthentication(authenticator is not null))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(_store);
        if (authenticator is not null)
        {
            services.Add(authenticator);
        }

        _ = new SmtpServer.SmtpServer(options, services).StartAsync(_server.Token);
    }

    public void Dispose() => _server?.Cancel();

    private sealed class Store : MessageStore
    {
        private int _refuseNext;
        private int _refused;

        public ConcurrentQueue<string> Messages { get; } = new();

        public int RefuseNext
        {
            get => Volatile.Read(ref _refuseNext);
            set => Volatile.Write(ref _refuseNext, value);
        }

        public int Refused => Volatile.Read(ref _refused);

        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (Interlocked.Decrement(ref _refuseNext) >= 0)
            {
                Interlocked.Increment(ref _refused);
                return Task.FromResult(new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "mailbox unavailable"));
            }

            Interlocked.Exchange(ref _refuseNext, 0);
            Messages.Enqueue(Encoding.UTF8.GetString(buffer.ToArray()));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
