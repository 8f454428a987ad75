using ExportCenter.Bot.Testing;
using ExportCenter.Testing;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>One server the benchmark starts: the two anchors and the bot on each database.</summary>
internal sealed record BenchmarkTarget(string Key, string Name, string Dll, bool DirectLine, string? Provider)
{
    /// <summary>The bot's settings for the benchmark: its own database and folder, /api/messages open, and every limit a
    /// loopback load would hit raised (the benchmark's clients all come from 127.0.0.1 and send far more than a visitor).</summary>
    private static readonly string[] BotSettings =
    [
        "--Bot:AllowUnauthenticatedMessages=true",
        "--Logging:LogLevel:Default=Warning",
        "--Bot:RateLimits:ActivitiesPerConversation=100000",
        "--DirectLine:RateLimits:TokensPerClient=100000",
        "--DirectLine:RateLimits:PostsPerClient=100000",
        "--DirectLine:RateLimits:PostsPerConversation=100000",
        "--DirectLine:RateLimits:RefreshesPerToken=100000",
        "--DirectLine:RateLimits:ReadsPerToken=100000",
        "--DirectLine:RateLimits:StreamsPerToken=1000",
    ];

    public bool IsBot => Provider is not null;

    /// <summary>Every target, in the order they are measured; the bot from <paramref name="botDll"/> when given.</summary>
    public static IReadOnlyList<BenchmarkTarget> All(string? botDll)
    {
        var bot = botDll ?? RepositoryPaths.BuiltOutput("bot", "ExportCenter.Bot");
        return
        [
            new("bare", "bare app", RepositoryPaths.BuiltOutput("tests/ExportCenter.Bot.Benchmarks.BareApp", "ExportCenter.Bot.Benchmarks.BareApp"), DirectLine: true, Provider: null),
            new("echo", "echo bot", RepositoryPaths.BuiltOutput("tests/ExportCenter.Bot.Benchmarks.EchoBot", "ExportCenter.Bot.Benchmarks.EchoBot"), DirectLine: false, Provider: null),
            new("bot-sqlite", "bot, SQLite", bot, DirectLine: true, Provider: "sqlite"),
            new("bot-postgres", "bot, PostgreSQL", bot, DirectLine: true, Provider: "postgres"),
        ];
    }

    /// <summary>A fresh database for one start of the bot (null for the anchors, which keep nothing).</summary>
    public TestDatabase? CreateDatabase(string? postgres) => Provider switch
    {
        null => null,
        "postgres" when postgres is null => throw new InvalidOperationException($"Set {TestDatabase.PostgresVariable} or --postgres to a PostgreSQL connection string whose role may create databases."),
        _ => TestDatabase.Create(Provider, postgres),
    };

    public IEnumerable<string> Arguments(TestDatabase? database, string folder) => IsBot && database is not null
        ? [.. BotSettings, $"--ConnectionStrings:Bot={database.ConnectionString}", $"--Email:PickupFolder={Path.Combine(folder, "mail")}"]
        : [];
}
