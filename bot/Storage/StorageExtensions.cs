using ExportCenter.Bot.Conversation;
using ExportCenter.Bot.Channels.DirectLine;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Bot.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ExportCenter.Bot.Storage;

/// <summary>Registers and prepares the bot's database (a SQLite file unless configured otherwise).</summary>
public static class StorageExtensions
{
    public const string ConnectionStringName = "Bot";
    public const string DefaultConnectionString = "Data Source=data/exportcenter.db";

    /// <summary>The Data Protection application name: instances that share it (and the keys) read each other's cookies.</summary>
    public const string DataProtectionApplicationName = "ExportCenter.Bot";

    private static readonly SqliteConnectionSettings SqliteSettings = new();

    /// <summary>
    /// SQLite (a file) by default; PostgreSQL when <c>Storage:Provider</c> says so or the connection string is a
    /// PostgreSQL one (it has a Host). Each provider has its own migrations, applied at start-up.
    /// </summary>
    public static IHostApplicationBuilder AddBotStorage(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = DefaultConnectionString;
        }

        // Every context counts the ticket events it saves (the bot's metrics; nothing listens unless telemetry is on).
        Telemetry.TelemetryExtensions.AddBotMetrics(builder.Services);

        // Pooled contexts: a turn opens up to three, and building each one's services from scratch was 9 % of a
        // turn's CPU. The contexts carry no state of their own beyond what EF Core resets when one goes back.
        if (IsPostgres(builder.Configuration["Storage:Provider"], connectionString))
        {
            connectionString = WithDefaultPoolSize(connectionString);
            builder.Services.AddPooledDbContextFactory<PostgresBotDbContext>((sp, o) => o.UseNpgsql(connectionString).AddInterceptors(sp.GetRequiredService<Telemetry.TicketEventMetrics>()));
            builder.Services.AddSingleton<IDbContextFactory<BotDbContext>, ProviderFactory<PostgresBotDbContext>>();
            // Several instances share the database: a conversation's turns are serialised across all of them.
            builder.Services.AddSingleton<IConversationLock>(_ => new PostgresConversationLock(connectionString));
            // ... and a conversation's streams may be open on any of them.
            builder.Services.AddSingleton(sp => new PostgresStreamSignals(connectionString, sp.GetRequiredService<DirectLineStreamHub>(), sp.GetRequiredService<ILogger<PostgresStreamSignals>>()));
            builder.Services.AddSingleton<IDirectLineStreamSignals>(sp => sp.GetRequiredService<PostgresStreamSignals>());
            builder.Services.AddHostedService(sp => sp.GetRequiredService<PostgresStreamSignals>());
            builder.Services.AddDataProtectionKeys<PostgresBotDbContext>();
        }
        else
        {
            builder.Services.AddPooledDbContextFactory<SqliteBotDbContext>((sp, o) => o.UseSqlite(connectionString).AddInterceptors(SqliteSettings, sp.GetRequiredService<Telemetry.TicketEventMetrics>()));
            builder.Services.AddSingleton<IDbContextFactory<BotDbContext>, ProviderFactory<SqliteBotDbContext>>();
            builder.Services.AddSingleton<IConversationLock, InProcessConversationLock>();
            builder.Services.AddSingleton<IDirectLineStreamSignals, InProcessStreamSignals>();
            builder.Services.AddDataProtectionKeys<SqliteBotDbContext>();

            // One instance owns the file, so a turn's state is read from what this instance last read or wrote.
            builder.Services.AddSingleton(_ => new StateItemCache());
            builder.Services.AddSingleton(_ => new SqliteStateWriter(connectionString));
            // privacy erase runs in another process: it tells this one to forget its cached state.
            builder.Services.AddHostedService<Privacy.ErasureMarkerWatcher>();
        }

        builder.Services.AddSingleton<IStorage>(sp => new EfCoreStorage(
            sp.GetRequiredService<IDbContextFactory<BotDbContext>>(),
            sp.GetRequiredService<TimeProvider>(),
            Dialogs.Conversation.ConversationStateTypes.ByProperty,
            sp.GetService<StateItemCache>(),
            sp.GetService<SqliteStateWriter>()));
        builder.Services.AddSingleton(sp => new ConversationState(sp.GetRequiredService<IStorage>()));
        builder.Services.AddSingleton(sp => new UserState(sp.GetRequiredService<IStorage>()));
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return builder;
    }

    /// <summary>
    /// Applies migrations and loads the channel keys. Runs before the host serves anything, so a database
    /// that cannot be opened stops start-up with the reason.
    /// </summary>
    public static async Task InitializeStorageAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<BotDbContext>>();
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            if (db.Database.IsSqlite())
            {
                CreateSqliteFolder(db.Database.GetConnectionString());
            }

            await db.Database.MigrateAsync(cancellationToken);
            if (db.Database.IsSqlite())
            {
                // WAL lets the pages' readers go on while a turn writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
            }
        }

        await services.GetRequiredService<ChannelKeyRing>().LoadAsync(cancellationToken);
    }

    /// <summary>
    /// ASP.NET Core Data Protection (which protects the advisors' sign-in cookie) with its keys in the bot's database
    /// instead of a folder of one machine, under one application name instead of the content root's path: every
    /// instance on the database, and the bot after a move to a new machine, reads the cookies the others wrote.
    /// </summary>
    private static void AddDataProtectionKeys<TContext>(this IServiceCollection services)
        where TContext : BotDbContext =>
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName).PersistKeysToDbContext<TContext>();

    /// <summary>The connections an instance keeps to PostgreSQL unless its connection string says otherwise.</summary>
    public const int DefaultPostgresPoolSize = 20;

    /// <summary>
    /// The connection string with <see cref="DefaultPostgresPoolSize"/> as its pool's size when it names none. Npgsql's
    /// own default is 100: on the load benchmark's 2 cores, 100 busy backends made PostgreSQL slower than 20 (the
    /// embedded Direct Line at 256 connections did 75 turns/s with 202 refused, against 127 with none), and a turn
    /// needs at most two connections at once (its conversation's lock and its query).
    /// </summary>
    public static string WithDefaultPoolSize(string connectionString)
    {
        // Npgsql's two names for it; the generic builder knows only what the string says, whatever its case.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        return given.ContainsKey("Maximum Pool Size") || given.ContainsKey("MaxPoolSize") ? connectionString : new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = DefaultPostgresPoolSize }.ConnectionString;
    }

    /// <summary>Whether the settings ask for PostgreSQL.</summary>
    public static bool IsPostgres(string? provider, string connectionString) =>
        string.IsNullOrWhiteSpace(provider)
            ? connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
            : provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase) || provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

    private static void CreateSqliteFolder(string? connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var folder = string.IsNullOrEmpty(file) || file == ":memory:" ? null : Path.GetDirectoryName(Path.GetFullPath(file));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
    }
}

/// <summary>Hands out the provider's context as the shared model type.</summary>
internal sealed class ProviderFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<BotDbContext>
    where TContext : BotDbContext
{
    public BotDbContext CreateDbContext() => inner.CreateDbContext();
}

/// <summary>Lets `dotnet ef` build the SQLite model without starting the host.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteBotDbContext>
{
    public SqliteBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteBotDbContext>().UseSqlite(StorageExtensions.DefaultConnectionString).Options);
}

/// <summary>Lets `dotnet ef` build the PostgreSQL model (no connection is opened).</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresBotDbContext>
{
    public PostgresBotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresBotDbContext>().UseNpgsql("Host=localhost;Database=exportcenter").Options);
}
