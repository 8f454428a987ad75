using Microsoft.Bot.Builder;
using Microsoft.EntityFrameworkCore;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// Bot Framework state (<see cref="IStorage"/>) in the bot's database, so conversations continue after a
/// restart. Items are JSON; every write gives a new eTag. Like the SDK's own stores, an item that is an
/// <see cref="IStoreItem"/> is written only if its eTag is "*" or still the stored one; the row's eTag is
/// also a concurrency token, so two writers racing on one row cannot both win.
/// </summary>
public sealed class EfCoreStorage(IDbContextFactory<BotDbContext> dbFactory, TimeProvider time) : IStorage
{
    private const string ETagProperty = "eTag";
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.None,
        NullValueHandling = NullValueHandling.Include,
    });

    public async Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.BotState.AsNoTracking().Where(s => keys.Contains(s.Key)).ToListAsync(cancellationToken);
        var items = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var item = JObject.Parse(row.Json);
            item[ETagProperty] = row.ETag;
            items[row.Key] = item;
        }

        return items;
    }

    public async Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var keys = changes.Keys.ToArray();
        var existing = await db.BotState.Where(s => keys.Contains(s.Key)).ToDictionaryAsync(s => s.Key, StringComparer.Ordinal, cancellationToken);
        foreach (var (key, value) in changes)
        {
            var json = JObject.FromObject(value, Serializer);
            json.Remove(ETagProperty);
            var newETag = Guid.NewGuid().ToString("N");
            if (existing.TryGetValue(key, out var row))
            {
                if (value is IStoreItem { ETag: { } wanted } && wanted != "*" && wanted != row.ETag)
                {
                    throw new InvalidOperationException($"Etag conflict on state item '{key}': it was changed by another turn.");
                }

                row.Json = json.ToString(Formatting.None);
                row.ETag = newETag;
                row.UpdatedAt = time.GetUtcNow();
            }
            else
            {
                db.BotState.Add(new BotStateItem { Key = key, Json = json.ToString(Formatting.None), ETag = newETag, UpdatedAt = time.GetUtcNow() });
            }

            if (value is IStoreItem storeItem)
            {
                storeItem.ETag = newETag;
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            throw new InvalidOperationException("Etag conflict: a state item was changed or created by another turn at the same time.", ex);
        }
    }

    public async Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.BotState.Where(s => keys.Contains(s.Key)).ExecuteDeleteAsync(cancellationToken);
    }
}
