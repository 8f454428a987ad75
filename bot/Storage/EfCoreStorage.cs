using Microsoft.Bot.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Storage;

/// <summary>
/// Bot Framework state (<see cref="IStorage"/>) in the bot's database, so conversations continue after a
/// restart. Items are JSON, read back as a dictionary of their properties (as BotState keeps them): a property named
/// in <c>itemTypes</c> is read as its type, any other as JObject, JArray or a plain value; every write gives a new eTag. Like the SDK's own stores, an item that is an
/// <see cref="IStoreItem"/> with an eTag other than "*" is written only if that eTag is still the stored one
/// (checked in the UPDATE itself, so two racing writers cannot both win); other items are last-write-wins.
/// With a <paramref name="cache"/> (one instance on SQLite), a turn's one-key read is served from what this instance
/// last read or wrote of the item; every write still goes to the database before the cache.
/// </summary>
/// <remarks>On SQLite, <paramref name="writer"/> writes the turns' state through a connection of its own.</remarks>
public sealed class EfCoreStorage(
    IDbContextFactory<BotDbContext> dbFactory,
    TimeProvider time,
    IReadOnlyDictionary<string, Type>? itemTypes = null,
    StateItemCache? cache = null,
    SqliteStateWriter? writer = null) : IStorage
{
    private const string ETagProperty = "eTag";

    /// <summary>Made once: a converter compiles its conversion when it is constructed, which cost every write a compile.</summary>
    private static readonly DateTimeOffsetToBinaryConverter SqliteTime = new();

    private bool? _sqlite;

    /// <summary>
    /// A read of several keys, compiled once per store (one per host, so per provider's model): EF Core would write the
    /// SQL anew for each read (its length varies). A turn reads one key, with SQL of its own (<see cref="ReadAsync"/>).
    /// </summary>
    private readonly Func<BotDbContext, string[], IAsyncEnumerable<BotStateItem>> _read =
        EF.CompileAsyncQuery((BotDbContext db, string[] keys) => db.BotState.AsNoTracking().Where(s => keys.Contains(s.Key)));

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(new JsonSerializerSettings
    {
        TypeNameHandling = TypeNameHandling.None,
        NullValueHandling = NullValueHandling.Include,
    });

    public async Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var items = new Dictionary<string, object>(StringComparer.Ordinal);
        if (keys.Length == 1)
        {
            if (await ReadOneAsync(keys[0], cancellationToken) is { } stored)
            {
                items[keys[0]] = Item(stored.Json, stored.ETag);
            }

            return items;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var row in _read(db, keys).WithCancellation(cancellationToken))
        {
            items[row.Key] = Item(row.Json, row.ETag);
        }

        return items;
    }

    /// <summary>The stored JSON and eTag of one item, from the cache when it has the item; null when there is none.</summary>
    private async Task<(string Json, string ETag)?> ReadOneAsync(string key, CancellationToken cancellationToken)
    {
        if (cache is null)
        {
            return await ReadStoredAsync(key, cancellationToken);
        }

        if (cache.TryGet(key, out var kept))
        {
            return kept;
        }

        using var _ = await cache.LockAsync(key, cancellationToken);
        if (cache.TryGet(key, out kept))
        {
            return kept;
        }

        var generation = cache.Generation;
        var stored = await ReadStoredAsync(key, cancellationToken);
        if (stored is { } found)
        {
            cache.Keep(key, found.Json, found.ETag, generation);
        }

        return stored;
    }

    /// <summary>The stored JSON and eTag of one item in the database; null when there is none.</summary>
    private async Task<(string Json, string ETag)?> ReadStoredAsync(string key, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        (string Json, string ETag)? stored = null;
        // A turn's one read, as plain SQL on the context's connection: EF Core's compiled query built two delegates
        // of its shaper on every execution, and its query pipeline around them cost more than the read itself.
        await RunAsync(db, """SELECT "ETag", "Json" FROM "BotState" WHERE "Key" = @key""", [("@key", key)], async command =>
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                stored = (reader.GetString(1), reader.GetString(0));
            }

            return 0;
        }, cancellationToken);

        return stored;
    }

    /// <summary>
    /// A dictionary of the item's properties, which is what BotState keeps: handing it a JObject made it copy the whole
    /// tree into one (a second pass over the JSON on every turn). A property of a known type is read as that type, which
    /// BotState then hands out as it is; read as a JObject, it was converted anew on every read of it in a turn.
    /// </summary>
    private Dictionary<string, object> Item(string json, string eTag)
    {
        using var reader = new JsonTextReader(new StringReader(json));
        var item = new Dictionary<string, object>(StringComparer.Ordinal);
        if (!reader.Read() || reader.TokenType != JsonToken.StartObject)
        {
            throw new JsonSerializationException("A stored state item is not a JSON object.");
        }

        while (reader.Read() && reader.TokenType == JsonToken.PropertyName)
        {
            var name = (string)reader.Value!;
            reader.Read();
            item[name] = (itemTypes is not null && itemTypes.TryGetValue(name, out var type) ? Serializer.Deserialize(reader, type) : Serializer.Deserialize(reader))!;
        }

        item[ETagProperty] = eTag;
        return item;
    }

    public async Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var context = new LazyContext(dbFactory);
        await using (context)
        {
            foreach (var (key, value) in changes)
            {
                if (cache is null)
                {
                    await WriteOneAsync(context, key, value, cancellationToken);
                    continue;
                }

                using var _ = await cache.LockAsync(key, cancellationToken);
                var generation = cache.Generation;
                try
                {
                    var (text, eTag) = await WriteOneAsync(context, key, value, cancellationToken);
                    cache.Keep(key, text, eTag, generation);
                }
                catch
                {
                    // Whether the database has the item now is not known: its next read asks the database.
                    cache.Remove(key);
                    throw;
                }
            }
        }
    }

    /// <summary>Writes one item; its stored JSON and new eTag.</summary>
    private async Task<(string Json, string ETag)> WriteOneAsync(LazyContext context, string key, object value, CancellationToken cancellationToken)
    {
        var text = Json(value);
        var newETag = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        var wanted = value is IStoreItem { ETag: { } e } && e != "*" ? e : null;
        if (wanted is null)
        {
            // Plain state (BotState's) is last write wins, as the SDK's own stores do: one upsert, so two turns
            // creating the same item at once never meet a unique-key failure.
            if (writer is not null)
            {
                await writer.UpsertAsync(key, text, newETag, (long)SqliteTime.ConvertToProvider(now)!, cancellationToken);
            }
            else
            {
                await UpsertAsync(context.Get(), key, text, newETag, now, cancellationToken);
            }
        }
        else
        {
            var db = context.Get();
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

        return (text, newETag);
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
        ExecuteAsync(
            db,
            """
            INSERT INTO "BotState" ("Key", "Json", "ETag", "UpdatedAt") VALUES (@key, @json, @etag, @at)
            ON CONFLICT ("Key") DO UPDATE SET "Json" = excluded."Json", "ETag" = excluded."ETag", "UpdatedAt" = excluded."UpdatedAt"
            """,
            key, json, eTag, Stored(db, at), cancellationToken);

    private Task<int> InsertIfAbsentAsync(BotDbContext db, string key, string json, string eTag, DateTimeOffset at, CancellationToken cancellationToken) =>
        ExecuteAsync(
            db,
            """
            INSERT INTO "BotState" ("Key", "Json", "ETag", "UpdatedAt") VALUES (@key, @json, @etag, @at)
            ON CONFLICT ("Key") DO NOTHING
            """,
            key, json, eTag, Stored(db, at), cancellationToken);

    private static Task<int> ExecuteAsync(BotDbContext db, string sql, string key, string json, string eTag, object at, CancellationToken cancellationToken) =>
        RunAsync(db, sql, [("@key", key), ("@json", json), ("@etag", eTag), ("@at", at)], command => command.ExecuteNonQueryAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Runs plain SQL with its parameters on the context's connection (in its transaction, if one is open): EF Core's
    /// query pipeline and its raw SQL, which parses the text anew each time, cost more than these one-row statements.
    /// </summary>
    private static async Task<int> RunAsync(BotDbContext db, string sql, (string Name, object Value)[] parameters, Func<System.Data.Common.DbCommand, Task<int>> run, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = sql;
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            foreach (var (name, value) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            return await run(command);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The time as the provider's column holds it: UTC ticks on SQLite (see BotDbContext), a timestamp on PostgreSQL.
    /// The provider is asked once: asking costs a service lookup, which showed in every write's profile.
    /// </summary>
    private object Stored(BotDbContext db, DateTimeOffset at) =>
        (_sqlite ??= db.Database.IsSqlite()) ? SqliteTime.ConvertToProvider(at)! : at;

    /// <summary>A context made only when a write needs one (on SQLite, a turn's upsert does not).</summary>
    private sealed class LazyContext(IDbContextFactory<BotDbContext> factory) : IAsyncDisposable
    {
        private BotDbContext? _db;

        public BotDbContext Get() => _db ??= factory.CreateDbContext();

        public ValueTask DisposeAsync() => _db?.DisposeAsync() ?? ValueTask.CompletedTask;
    }

    public async Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            await db.BotState.Where(s => keys.Contains(s.Key)).ExecuteDeleteAsync(cancellationToken);
        }
        finally
        {
            foreach (var key in keys)
            {
                cache?.Remove(key);
            }
        }
    }
}
