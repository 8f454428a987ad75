using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.Storage;

/// <summary>The settings SQLite keeps per connection hold on every connection, new or taken again from the pool.</summary>
public sealed class SqliteConnectionSettingsTests
{
    [Fact]
    public async Task EveryConnection_NewOrReused_HasSynchronousNormalAndTheBusyTimeout()
    {
        using var database = TestDatabase.Create("sqlite");
        using var app = new BotApp(database.Settings);
        var factory = app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();

        for (var round = 0; round < 3; round++)
        {
            // Two at once, so the pool holds (and hands out again) more than one native connection.
            await using var first = await factory.CreateDbContextAsync();
            await using var second = await factory.CreateDbContextAsync();
            foreach (var db in new[] { first, second })
            {
                await db.Database.OpenConnectionAsync();
                Assert.Equal(1L, await ScalarAsync(db, "PRAGMA synchronous")); // NORMAL
                Assert.Equal(5000L, await ScalarAsync(db, "PRAGMA busy_timeout"));
            }

            await first.Database.CloseConnectionAsync();
            await second.Database.CloseConnectionAsync();
        }
    }

    private static async Task<long> ScalarAsync(BotDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
