using System.Collections.Concurrent;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// The state items a single instance on SQLite last read or wrote, as their stored JSON and eTag, so that a turn reads
/// its conversation's state from memory instead of the database: on SQLite the process is the only one that writes the
/// file, and every write still goes to the database first. With several instances (PostgreSQL) another instance may
/// have written an item, so none is kept.
/// <para>
/// Whatever deletes items other than <see cref="EfCoreStorage"/> (retention) calls <see cref="Clear"/>. An item is served
/// only while no clear or removal came after the read or write that kept it began, so a deleted item cannot come back
/// from a slow read.
/// </para>
/// </summary>
public sealed class StateItemCache(int capacity = StateItemCache.DefaultCapacity)
{
    /// <summary>Conversations that took a turn lately; an item is about 2 KB.</summary>
    public const int DefaultCapacity = 2048;

    // Each item with the generation its read or write began in: it is served only while no clear or removal came since.
    private readonly ConcurrentDictionary<string, (string Json, string ETag, long Generation)> _items = new(StringComparer.Ordinal);

    // Per key, one read-or-write at a time, so that the order of the database's writes is the order of the cache's.
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    private long _generation;
    private int _count;

    /// <summary>Bumped by every clear and removal: a read that began before one must not be kept.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(string key, out (string Json, string ETag) item)
    {
        if (_items.TryGetValue(key, out var kept) && kept.Generation == Generation)
        {
            item = (kept.Json, kept.ETag);
            return true;
        }

        item = default;
        return false;
    }

    /// <summary>Keeps what the database holds for <paramref name="key"/>, read or written since <paramref name="generation"/>.</summary>
    public void Keep(string key, string json, string eTag, long generation)
    {
        if (Generation != generation)
        {
            // Cleared or removed meanwhile: what was read may be gone from the database now.
            Forget(key);
            return;
        }

        if (_items.TryAdd(key, (json, eTag, generation)))
        {
            if (Interlocked.Increment(ref _count) > capacity)
            {
                // Full: make room by forgetting another item; whichever it is, its next read goes to the database.
                foreach (var (old, _) in _items)
                {
                    if (old != key && _items.TryRemove(old, out _))
                    {
                        Interlocked.Decrement(ref _count);
                        break;
                    }
                }
            }
        }
        else
        {
            _items[key] = (json, eTag, generation);
        }
    }

    public void Remove(string key)
    {
        Interlocked.Increment(ref _generation);
        Forget(key);
    }

    /// <summary>Forgets every item (after items were deleted in the database by other means).</summary>
    public void Clear()
    {
        Interlocked.Increment(ref _generation);
        foreach (var (key, _) in _items)
        {
            Forget(key);
        }
    }

    private void Forget(string key)
    {
        if (_items.TryRemove(key, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Holds the key's stripe while the database is read or written for it.</summary>
    public async Task<IDisposable> LockAsync(string key, CancellationToken cancellationToken)
    {
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(key) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        return new Release(stripe);
    }

    private sealed class Release(SemaphoreSlim stripe) : IDisposable
    {
        private SemaphoreSlim? _stripe = stripe;

        public void Dispose() => Interlocked.Exchange(ref _stripe, null)?.Release();
    }
}
