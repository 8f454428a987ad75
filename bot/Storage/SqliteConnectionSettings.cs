using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// Settings SQLite keeps per connection, applied to each connection SQLite opens (a pooled connection keeps them, so
/// it is not set again each time EF Core takes it from the pool: that was two statements on each of a turn's opens):
/// <c>synchronous=NORMAL</c>, which in WAL mode syncs the log at checkpoints instead of at every commit (a
/// commit survives the process dying, as a crash test needs; only a power cut can take the last ones), and
/// a busy timeout, so a writer that meets another one waits inside SQLite in short steps instead of failing
/// or sleeping in long ones; and memory-mapped reads (256 MB), so a connection whose page cache another one's write made
/// stale reads the pages from the mapping instead of with a system call each.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    /// <summary>The settings; a statement waits up to 5 s for another connection's write to end.</summary>
    internal const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA mmap_size=268435456;";

    /// <summary>The native connections already set; one lives as long as the pool keeps it.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> _set = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Whether the native connection behind this one has not been set yet (and marks it set).</summary>
    private bool IsNew(DbConnection connection) =>
        connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } || _set.TryAdd(handle, handle);
}
