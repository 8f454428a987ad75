using ExportCenter.Bot.Channels.DirectLine;
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

    public static IHostApplicationBuilder AddBotStorage(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = DefaultConnectionString;
        }

        builder.Services.AddDbContextFactory<BotDbContext>(o => o.UseSqlite(connectionString));
        builder.Services.AddSingleton<IStorage, EfCoreStorage>();
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

/// <summary>Lets `dotnet ef` build the model without starting the host.</summary>
public sealed class BotDbContextDesignTimeFactory : IDesignTimeDbContextFactory<BotDbContext>
{
    public BotDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<BotDbContext>().UseSqlite(StorageExtensions.DefaultConnectionString).Options);
}
