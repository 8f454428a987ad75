using Microsoft.Data.Sqlite;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// Writes the turns' state on SQLite through one connection of its own, kept open with its upsert prepared. SQLite
/// takes one writer at a time anyway, so turns wait for each other here rather than in SQLite's busy handler; and a
/// turn's write no longer pays for taking a connection from the pool and giving it back, which cost four times the
/// statement itself.
/// </summary>
public sealed class SqliteStateWriter(string connectionString) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteCommand? _upsert;
    private bool _disposed;

    /// <summary>Inserts or replaces one item (last write wins); <paramref name="at"/> as SQLite's column holds it (UTC ticks).</summary>
    public async Task UpsertAsync(string key, string json, string eTag, long at, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var upsert = _upsert ?? Open();
            upsert.Parameters[0].Value = key;
            upsert.Parameters[1].Value = json;
            upsert.Parameters[2].Value = eTag;
            upsert.Parameters[3].Value = at;
            upsert.ExecuteNonQuery();
        }
        catch
        {
            // A connection that failed (the file went away, the disk is full) is not trusted again: the next write opens
            // anew, and the pool does not hand it out either.
            Close(failed: true);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            _disposed = true;
            Close(failed: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteCommand Open()
    {
        _connection = new SqliteConnection(connectionString);
        _connection.Open();
        using (var settings = _connection.CreateCommand())
        {
            settings.CommandText = SqliteConnectionSettings.Pragmas;
            settings.ExecuteNonQuery();
        }

        var upsert = _connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO "BotState" ("Key", "Json", "ETag", "UpdatedAt") VALUES ($key, $json, $etag, $at)
            ON CONFLICT ("Key") DO UPDATE SET "Json" = excluded."Json", "ETag" = excluded."ETag", "UpdatedAt" = excluded."UpdatedAt"
            """;
        foreach (var name in new[] { "$key", "$json", "$etag", "$at" })
        {
            upsert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        _upsert = upsert;
        upsert.Prepare();
        return upsert;
    }

    private void Close(bool failed)
    {
        _upsert?.Dispose();
        if (failed && _connection is not null)
        {
            SqliteConnection.ClearPool(_connection);
        }

        _connection?.Dispose();
        _upsert = null;
        _connection = null;
    }
}
