using Microsoft.Bot.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// Bot Framework state (<see cref="IStorage"/>) in the bot's database, so conversations continue after a
/// restart. Items are JSON, read back as a dictionary of their properties (as BotState keeps them; nested values
/// are JObject, JArray or plain values); every write gives a new eTag. Like the SDK's own stores, an item that is an
/// <see cref="IStoreItem"/> with an eTag other than "*" is written only if that eTag is still the stored one
/// (checked in the UPDATE itself, so two racing writers cannot both win); other items are last-write-wins.
/// </summary>
public sealed class EfCoreStorage(IDbContextFactory<BotDbContext> dbFactory, TimeProvider time) : IStorage
{
    private const string ETagProperty = "eTag";

    /// <summary>Made once: a converter compiles its conversion when it is constructed, which cost every write a compile.</summary>
    private static readonly DateTimeOffsetToBinaryConverter SqliteTime = new();

    private bool? _sqlite;

    /// <summary>
    /// The reads, compiled once per store (one per host, so per provider's model). A turn reads one key: with a
    /// list of keys EF Core writes the SQL anew for each read (its length varies), which was 5 % of a turn's CPU.
    /// </summary>
    private readonly Func<BotDbContext, string[], IAsyncEnumerable<BotStateItem>> _read =
        EF.CompileAsyncQuery((BotDbContext db, string[] keys) => db.BotState.AsNoTracking().Where(s => keys.Contains(s.Key)));

    private readonly Func<BotDbContext, string, IAsyncEnumerable<BotStateItem>> _readOne =
        EF.CompileAsyncQuery((BotDbContext db, string key) => db.BotState.AsNoTracking().Where(s => s.Key == key));
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.None,
        NullValueHandling = NullValueHandling.Include,
    });

    public async Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var items = new Dictionary<string, object>(StringComparer.Ordinal);
        var rows = keys.Length == 1 ? _readOne(db, keys[0]) : _read(db, keys);
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            // A dictionary of the item's properties, which is what BotState keeps: handing it a JObject made it copy
            // the whole tree into one (a second pass over the JSON on every turn).
            using var reader = new JsonTextReader(new StringReader(row.Json));
            var item = Serializer.Deserialize<Dictionary<string, object>>(reader) ?? [];
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
            var text = Json(value);
            var newETag = Guid.NewGuid().ToString("N");
            var now = time.GetUtcNow();
            var wanted = value is IStoreItem { ETag: { } e } && e != "*" ? e : null;
            if (wanted is null)
            {
                // Plain state (BotState's) is last write wins, as the SDK's own stores do: one upsert, so two turns
                // creating the same item at once never meet a unique-key failure.
                await UpsertAsync(db, key, text, newETag, now, cancellationToken);
            }
            else
            {
                // A store item that carries an eTag is written only over that version, or created when it is gone.
                var updated = await db.BotState.Where(s => s.Key == key && s.ETag == wanted).ExecuteUpdateAsync(
                    set => set.SetProperty(s => s.Json, text).SetProperty(s => s.ETag, newETag).SetProperty(s => s.UpdatedAt, now),
                    cancellationToken);
                if (updated == 0 && await InsertIfAbsentAsync(db, key, text, newETag, now, cancellationToken) == 0)
                {
                    throw new InvalidOperationException($"Etag conflict on state item '{key}': it was changed by another turn.");
                }
            }

            if (value is IStoreItem storeItem)
            {
                storeItem.ETag = newETag;
            }
        }
    }

    /// <summary>The item as stored: its JSON without the eTag, which has a column of its own.</summary>
    private static string Json(object value)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        if (value is IDictionary<string, object> properties)
        {
            // BotState's own items: written straight, without first building them as a JObject.
            var stored = new Dictionary<string, object>(properties.Count, StringComparer.Ordinal);
            foreach (var (name, property) in properties)
            {
                if (name != ETagProperty)
                {
                    stored[name] = property;
                }
            }

            Serializer.Serialize(writer, stored);
            return writer.ToString();
        }

        var json = JObject.FromObject(value, Serializer);
        json.Remove(ETagProperty);
        return json.ToString(Formatting.None);
    }

    private Task<int> UpsertAsync(BotDbContext db, string key, string json, string eTag, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "BotState" ("Key", "Json", "ETag", "UpdatedAt") VALUES ({0}, {1}, {2}, {3})
            ON CONFLICT ("Key") DO UPDATE SET "Json" = excluded."Json", "ETag" = excluded."ETag", "UpdatedAt" = excluded."UpdatedAt"
            """,
            [key, json, eTag, Stored(db, at)],
            cancellationToken);

    private Task<int> InsertIfAbsentAsync(BotDbContext db, string key, string json, string eTag, DateTimeOffset at, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlRawAsync(
            """
            INSERT INTO "BotState" ("Key", "Json", "ETag", "UpdatedAt") VALUES ({0}, {1}, {2}, {3})
            ON CONFLICT ("Key") DO NOTHING
            """,
            [key, json, eTag, Stored(db, at)],
            cancellationToken);

    /// <summary>
    /// The time as the provider's column holds it: UTC ticks on SQLite (see BotDbContext), a timestamp on PostgreSQL.
    /// The provider is asked once: asking costs a service lookup, which showed in every write's profile.
    /// </summary>
    private object Stored(BotDbContext db, DateTimeOffset at) =>
        (_sqlite ??= db.Database.IsSqlite()) ? SqliteTime.ConvertToProvider(at)! : at;

    public async Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.BotState.Where(s => keys.Contains(s.Key)).ExecuteDeleteAsync(cancellationToken);
    }
}
