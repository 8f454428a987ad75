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
/// with an optimistic-concurrency check, so concurrent writers (also in other instances) never share one.
/// </summary>
public sealed class DirectLineConversationStore(
    IDbContextFactory<BotDbContext> dbFactory,
    DirectLineStreamHub hub,
    TimeProvider time)
{
    private const int MaxAttempts = 20;

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
    public async Task<string?> AppendAsync(string conversationId, JsonObject activity, Action<JsonObject, string, DateTimeOffset> complete, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var conversation = await db.DirectLineConversations.SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
            if (conversation is null)
            {
                return null;
            }

            var now = time.GetUtcNow();
            var sequence = conversation.LastSequence + 1;
            var activityId = conversationId + "|" + sequence.ToString("D7", CultureInfo.InvariantCulture);
            complete(activity, activityId, now);
            conversation.LastSequence = sequence;
            conversation.LastActivityAt = now;
            db.DirectLineActivities.Add(new DirectLineActivity
            {
                ConversationId = conversationId,
                Sequence = sequence,
                ActivityId = activityId,
                Type = activity["type"]?.GetValue<string>() ?? "message",
                Json = activity.ToJsonString(),
                Timestamp = now,
            });
            if (await TrySaveAsync(db, attempt, cancellationToken))
            {
                hub.Notify(conversationId);
                return activityId;
            }
        }
    }

    /// <summary>
    /// Replaces a stored activity (same id) and moves it to the next watermark so clients receive it again.
    /// Returns false when the conversation or activity does not exist.
    /// </summary>
    public async Task<bool> ReplaceAsync(string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var conversation = await db.DirectLineConversations.SingleOrDefaultAsync(c => c.Id == conversationId, cancellationToken);
            var stored = conversation is null
                ? null
                : await db.DirectLineActivities.SingleOrDefaultAsync(a => a.ConversationId == conversationId && a.ActivityId == activityId, cancellationToken);
            if (conversation is null || stored is null)
            {
                return false;
            }

            var now = time.GetUtcNow();
            conversation.LastSequence++;
            conversation.LastActivityAt = now;
            stored.Sequence = conversation.LastSequence;
            stored.Json = activity.ToJsonString();
            stored.Type = activity["type"]?.GetValue<string>() ?? stored.Type;
            if (await TrySaveAsync(db, attempt, cancellationToken))
            {
                hub.Notify(conversationId);
                return true;
            }
        }
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

    /// <summary>A conversation id: 128 random bits, URL-safe.</summary>
    private static string NewId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    private static async Task<bool> TrySaveAsync(BotDbContext db, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException) when (attempt < MaxAttempts)
        {
            // Another writer took this sequence number (concurrency token or unique index); read again.
            return false;
        }
    }
}
