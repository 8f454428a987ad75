using Microsoft.Bot.Builder;
using Microsoft.EntityFrameworkCore;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// Bot Framework state (<see cref="IStorage"/>) in the bot's database, so conversations continue after a
/// restart. Items are JSON; every write gives a new eTag. Like the SDK's own stores, an item that is an
/// <see cref="IStoreItem"/> with an eTag other than "*" is written only if that eTag is still the stored one
/// (checked in the UPDATE itself, so two racing writers cannot both win); other items are last-write-wins.
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
        foreach (var (key, value) in changes)
        {
            var json = JObject.FromObject(value, Serializer);
            json.Remove(ETagProperty);
            var text = json.ToString(Formatting.None);
            var newETag = Guid.NewGuid().ToString("N");
            var now = time.GetUtcNow();
            var wanted = value is IStoreItem { ETag: { } e } && e != "*" ? e : null;
            for (var attempt = 1; ; attempt++)
            {
                // One statement per item: an eTag-checked update for store items that carry one, otherwise
                // last write wins, as the SDK's own stores do for plain state such as BotState's.
                var rows = db.BotState.Where(s => s.Key == key);
                if (wanted is not null)
                {
                    rows = rows.Where(s => s.ETag == wanted);
                }

                var updated = await rows.ExecuteUpdateAsync(
                    set => set.SetProperty(s => s.Json, text).SetProperty(s => s.ETag, newETag).SetProperty(s => s.UpdatedAt, now),
                    cancellationToken);
                if (updated == 1)
                {
                    break;
                }

                if (wanted is not null && await db.BotState.AnyAsync(s => s.Key == key, cancellationToken))
                {
                    throw new InvalidOperationException($"Etag conflict on state item '{key}': it was changed by another turn.");
                }

                db.BotState.Add(new BotStateItem { Key = key, Json = text, ETag = newETag, UpdatedAt = now });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                    break;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    // Another turn created the item at the same moment: update it instead.
                    db.ChangeTracker.Clear();
                }
            }

            if (value is IStoreItem storeItem)
            {
                storeItem.ETag = newETag;
            }
        }
    }

    public async Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.BotState.Where(s => keys.Contains(s.Key)).ExecuteDeleteAsync(cancellationToken);
    }
}
