using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// Conversations and their history in the database. Every stored or updated activity takes the
/// conversation's next sequence number, which is the watermark clients page with; the number is claimed
/// by an atomic increment in the same transaction as the write, so concurrent writers never share one.
/// </summary>
public sealed class DirectLineConversationStore(
    IDbContextFactory<BotDbContext> dbFactory,
    IDirectLineStreamSignals streams,
    TimeProvider time)
{
    /// <summary>Creates a conversation for a new visitor.</summary>
    public async Task<DirectLineConversation> CreateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var conversation = new DirectLineConversation
        {
            Id = NewId(),
            UserId = "u-" + NewId()[..16],
            CreatedAt = now,
            LastActivityAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.DirectLineConversations.Add(conversation);
        await db.SaveChangesAsync(cancellationToken);
        return conversation;
    }

    /// <summary>Finds a conversation, or null.</summary>
    public async Task<DirectLineConversation?> FindAsync(string conversationId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DirectLineConversations.AsNoTracking().SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
    }

    /// <summary>Marks the conversation started; true only for the call that started it.</summary>
    public async Task<bool> MarkStartedAsync(string conversationId, string? locale, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.DirectLineConversations
            .Where(c => c.Id == conversationId && !c.Started)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Started, true).SetProperty(c => c.Locale, locale), cancellationToken);
        return changed == 1;
    }

    /// <summary>
    /// Stores a new activity. <paramref name="complete"/> receives the activity id and timestamp the channel
    /// assigns and must set them, with every other channel-owned field, on the activity. Returns the id, or
    /// null when the conversation does not exist.
    /// </summary>
    public Task<string?> AppendAsync(string conversationId, JsonObject activity, Action<JsonObject, string, DateTimeOffset> complete, CancellationToken cancellationToken) =>
        AppendAsync(conversationId, activity, complete, retainWith: null, cancellationToken);

    /// <summary>
    /// Stores a new activity as <see cref="AppendAsync(string, JsonObject, Action{JsonObject, string, DateTimeOffset}, CancellationToken)"/>
    /// does, kept for as long as what <paramref name="retainWith"/> names (see <see cref="DirectLineActivity.RetainWith"/>).
    /// </summary>
    public async Task<string?> AppendAsync(string conversationId, JsonObject activity, Action<JsonObject, string, DateTimeOffset> complete, string? retainWith, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = time.GetUtcNow();
        var sequence = await NextSequenceAsync(db, conversationId, now, cancellationToken);
        if (sequence is null)
        {
            return null;
        }

        var activityId = conversationId + "|" + sequence.Value.ToString("D7", CultureInfo.InvariantCulture);
        complete(activity, activityId, now);
        db.DirectLineActivities.Add(new DirectLineActivity
        {
            ConversationId = conversationId,
            Sequence = sequence.Value,
            ActivityId = activityId,
            Type = activity["type"]?.GetValue<string>() ?? "message",
            Json = activity.ToJsonString(),
            Timestamp = now,
            RetainWith = retainWith,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        streams.Notify(conversationId);
        return activityId;
    }

    /// <summary>
    /// Replaces a stored activity (same id) and moves it to the next watermark so clients receive it again.
    /// Returns false when the conversation or activity does not exist.
    /// </summary>
    public async Task<bool> ReplaceAsync(string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sequence = await NextSequenceAsync(db, conversationId, time.GetUtcNow(), cancellationToken);
        var json = activity.ToJsonString();
        var type = activity["type"]?.GetValue<string>() ?? "message";
        var replaced = sequence is not null && await db.DirectLineActivities
            .Where(a => a.ConversationId == conversationId && a.ActivityId == activityId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Sequence, sequence.Value).SetProperty(a => a.Json, json).SetProperty(a => a.Type, type), cancellationToken) == 1;
        if (!replaced)
        {
            return false;
        }

        await transaction.CommitAsync(cancellationToken);
        streams.Notify(conversationId);
        return true;
    }

    /// <summary>Activities after the watermark, oldest first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<DirectLineActivity>> GetAfterAsync(string conversationId, long watermark, int max, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.DirectLineActivities.AsNoTracking()
            .Where(a => a.ConversationId == conversationId && a.Sequence > watermark)
            .OrderBy(a => a.Sequence)
            .Take(max)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The watermark just before the activities first stored since <paramref name="since"/>: a client that
    /// starts from it gets the recent history only. With nothing stored since then it is the conversation's
    /// last watermark; an unknown conversation gives 0.
    /// </summary>
    public async Task<long> WatermarkBeforeAsync(string conversationId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var firstRecent = await db.DirectLineActivities.AsNoTracking()
            .Where(a => a.ConversationId == conversationId && a.Timestamp >= since)
            .MinAsync(a => (long?)a.Sequence, cancellationToken);
        if (firstRecent is { } first)
        {
            return first - 1;
        }

        return await db.DirectLineConversations.AsNoTracking().Where(c => c.Id == conversationId)
            .Select(c => (long?)c.LastSequence).SingleOrDefaultAsync(cancellationToken) ?? 0;
    }

    /// <summary>
    /// Moves the named activities that lie at or before <paramref name="watermark"/> to new watermarks, unchanged
    /// (same id, JSON and timestamp), so a client starting from that watermark receives them too; clients that
    /// have them already replace them by id. Returns how many were moved.
    /// </summary>
    public async Task<int> BringForwardAsync(string conversationId, IReadOnlyCollection<string> activityIds, long watermark, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activityIds);
        if (activityIds.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var rows = await db.DirectLineActivities.AsNoTracking()
            .Where(a => a.ConversationId == conversationId && activityIds.Contains(a.ActivityId) && a.Sequence <= watermark)
            .OrderBy(a => a.Sequence)
            .Select(a => a.Id)
            .ToListAsync(cancellationToken);
        var moved = 0;
        foreach (var row in rows)
        {
            if (await NextSequenceAsync(db, conversationId, time.GetUtcNow(), cancellationToken) is not { } sequence)
            {
                return 0;
            }

            // Conditional: a session starting at the same moment may have moved it already.
            moved += await db.DirectLineActivities.Where(a => a.Id == row && a.Sequence <= watermark)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.Sequence, sequence), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (moved > 0)
        {
            streams.Notify(conversationId);
        }

        return moved;
    }

    /// <summary>A conversation id: 128 random bits, URL-safe.</summary>
    private static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Claims the conversation's next sequence number inside the caller's transaction. The increment is a
    /// single UPDATE, so the row is write-locked before it is read back: concurrent writers (other requests,
    /// other instances on the same database) queue instead of colliding. Null when the conversation is unknown.
    /// </summary>
    private static async Task<long?> NextSequenceAsync(BotDbContext db, string conversationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var changed = await db.DirectLineConversations
            .Where(c => c.Id == conversationId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastSequence, c => c.LastSequence + 1).SetProperty(c => c.LastActivityAt, now), cancellationToken);
        return changed == 0
            ? null
            : await db.DirectLineConversations.Where(c => c.Id == conversationId).Select(c => c.LastSequence).SingleAsync(cancellationToken);
    }
}
