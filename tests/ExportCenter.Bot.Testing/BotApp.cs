using System.Collections.Concurrent;
using System.Net;
using ExportCenter.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using KnowledgeBase = ExportCenter.Knowledge.KnowledgeBase.KnowledgeBase;
using MessageUnderstanding = ExportCenter.Knowledge.Understanding.MessageUnderstanding;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// The real bot host on Kestrel (loopback, random port) with its own SQLite file. Each test owns one.
/// Settings override appsettings.json; services may be replaced (a fake clock, fake outside parties).
/// Hosts on the repository's knowledge base share the one pipeline trained per test process
/// (<see cref="TrainedUnderstanding"/>) instead of training their own at start-up; a host given another
/// knowledge folder (Knowledge:Path) loads and trains that one itself, as the bot does.
/// </summary>
public sealed class BotApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _folder = Directory.CreateTempSubdirectory("exportcenter-test-").FullName;

    public BotApp(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Bot"] = $"Data Source={Path.Combine(_folder, "bot.db")}",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Urls"] = "",
            ["Email:PickupFolder"] = Path.Combine(_folder, "mail"),
            ["Knowledge:ModelCache"] = Path.Combine(_folder, "understanding.model"),
            // Deterministic tests: retention runs when a test calls the sweeper.
            ["Retention:Enabled"] = "false",
        };
        foreach (var (key, value) in RaisedLimits.Concat(settings ?? new Dictionary<string, string?>()))
        {
            _settings[key] = value;
        }

        _services = services;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal) + "/");
    }

    /// <summary>
    /// Every test client comes from loopback, and a test may send many requests: the limits are raised here, not in the
    /// defaults (a test of a limit sets its own). <see cref="BotProcess"/> starts the bot with them too.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> RaisedLimits { get; } = new Dictionary<string, string?>
    {
        ["DirectLine:RateLimits:TokensPerClient"] = "100000",
        ["DirectLine:RateLimits:PostsPerClient"] = "100000",
        ["DirectLine:RateLimits:PostsPerConversation"] = "100000",
        ["DirectLine:RateLimits:RefreshesPerToken"] = "100000",
        ["DirectLine:RateLimits:ReadsPerToken"] = "100000",
        ["DirectLine:RateLimits:StreamsPerToken"] = "1000",
        ["Bot:RateLimits:ActivitiesPerConversation"] = "100000",
    };

    /// <summary>Where the host listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Every activity that reached the bot, in order (recorded by a bot middleware).</summary>
    public ConcurrentQueue<Activity> TurnsReceived { get; } = new();

    /// <summary>Where emails go when no SMTP server is configured.</summary>
    public string MailFolder => Path.Combine(_folder, "mail");

    /// <summary>The SQLite file of this host.</summary>
    public string DatabasePath => Path.Combine(_folder, "bot.db");

    /// <summary>A client on the real socket, with its own cookie jar.</summary>
    public HttpClient CreateHttpClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
        };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(AppContext.BaseDirectory);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IMiddleware>(new RecordingMiddleware(TurnsReceived));
            if (string.IsNullOrWhiteSpace(_settings.GetValueOrDefault("Knowledge:Path")))
            {
                services.RemoveAll<KnowledgeBase>();
                services.AddSingleton(_ => TrainedUnderstanding.KnowledgeBase);
                services.RemoveAll<MessageUnderstanding>();
                services.AddSingleton(_ => TrainedUnderstanding.Pipeline);
            }

            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open by a closing connection; the temp folder is cleaned by the OS.
            }
        }
    }

    private sealed class RecordingMiddleware(ConcurrentQueue<Activity> received) : IMiddleware
    {
        public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
        {
            received.Enqueue(turnContext.Activity);
            return next(cancellationToken);
        }
    }
}
