using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace ExportCenter.Bot.Conversation;

/// <summary>
/// One turn at a time per conversation. Two messages of one conversation that race (a double tap on the last
/// handoff step) must not both act on the same dialog step; turns of different conversations run in parallel.
/// </summary>
public interface IConversationLock
{
    /// <summary>Waits until no other turn of the conversation runs, then holds it until the result is disposed.</summary>
    Task<IAsyncDisposable> AcquireAsync(string conversationId, CancellationToken cancellationToken);
}

/// <summary>The lock within one process: enough on SQLite, which one instance serves.</summary>
public sealed class InProcessConversationLock : IConversationLock
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IAsyncDisposable> AcquireAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var entry = Enter(conversationId);
        try
        {
            await entry.Gate.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(conversationId, entry);
            throw;
        }

        return new Held(this, conversationId, entry);
    }

    /// <summary>The conversations with a turn running or waiting (an entry is removed when its last turn ends).</summary>
    internal int Count => _entries.Count;

    private Entry Enter(string conversationId)
    {
        while (true)
        {
            var entry = _entries.GetOrAdd(conversationId, _ => new Entry());
            lock (entry)
            {
                if (!entry.Removed)
                {
                    entry.Users++;
                    return entry;
                }
            }
        }
    }

    private void Leave(string conversationId, Entry entry)
    {
        lock (entry)
        {
            if (--entry.Users == 0)
            {
                entry.Removed = true;
                _entries.TryRemove(new KeyValuePair<string, Entry>(conversationId, entry));
            }
        }
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public int Users { get; set; }

        public bool Removed { get; set; }
    }

    private sealed class Held(InProcessConversationLock owner, string conversationId, Entry entry) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                entry.Gate.Release();
                owner.Leave(conversationId, entry);
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// The lock across every instance on one PostgreSQL database: a session advisory lock keyed by the conversation,
/// held on its own pooled connection for the length of the turn (and taken after the in-process lock, so one
/// instance never spends two connections on one conversation). A crashed instance's connection closes, and the
/// database lets the lock go with it. At most half the pool's connections hold locks at once: the turns that hold
/// them need connections of the same pool for their queries, and with every connection holding a lock they would
/// wait for each other until the pool's timeout (the load benchmark's 256 connections did); further turns wait here,
/// without a timeout.
/// </summary>
public sealed class PostgresConversationLock(string connectionString) : IConversationLock, IDisposable
{
    private readonly InProcessConversationLock _local = new();
    private readonly SemaphoreSlim _holders = new(Math.Max(1, new NpgsqlConnectionStringBuilder(connectionString).MaxPoolSize / 2));

    public async Task<IAsyncDisposable> AcquireAsync(string conversationId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var local = await _local.AcquireAsync(conversationId, cancellationToken);
        try
        {
            await _holders.WaitAsync(cancellationToken);
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }

        NpgsqlConnection? connection = null;
        try
        {
            connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            var key = Key(conversationId);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock($1)", connection) { Parameters = { new() { Value = key } } })
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            return new Held(connection, key, local, _holders);
        }
        catch
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            _holders.Release();
            await local.DisposeAsync();
            throw;
        }
    }

    public void Dispose() => _holders.Dispose();

    /// <summary>A 64-bit key from the conversation id (the first eight bytes of its SHA-256).</summary>
    internal static long Key(string conversationId) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(conversationId)), 0);

    private sealed class Held(NpgsqlConnection connection, long key, IAsyncDisposable local, SemaphoreSlim holders) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Unlocked explicitly: the pool keeps the connection (and a session lock with it) open otherwise.
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", connection) { Parameters = { new() { Value = key } } };
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
            catch (NpgsqlException)
            {
                // A broken connection ends its session, and the lock with it; it must not go back to the pool.
                NpgsqlConnection.ClearPool(connection);
            }
            finally
            {
                await connection.DisposeAsync();
                holders.Release();
                await local.DisposeAsync();
            }
        }
    }
}
