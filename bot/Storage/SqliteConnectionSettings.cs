using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// Settings SQLite keeps per connection, applied each time EF Core opens one (pooled connections too):
/// <c>synchronous=NORMAL</c>, which in WAL mode syncs the log at checkpoints instead of at every commit (a
/// commit survives the process dying, as a crash test needs; only a power cut can take the last ones), and
/// a busy timeout, so a writer that meets another one waits inside SQLite in short steps instead of failing
/// or sleeping in long ones.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    /// <summary>The settings; a statement waits up to 5 s for another connection's write to end.</summary>
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
