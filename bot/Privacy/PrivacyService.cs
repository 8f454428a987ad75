using System.Text.Json;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

// In the queries below ToLower() is translated to SQL lower() (the analyzers see a .NET call): addresses are matched
// without regard to case on both databases.
#pragma warning disable CA1304, CA1311, CA1862

namespace ExportCenter.Bot.Privacy;

/// <summary>How much an erasure removed.</summary>
public sealed record ErasureResult(int Tickets, int Conversations, int Rows, int Files, bool FileRewritten);

/// <summary>
/// The data-subject commands: everything kept about a person or company, as JSON (<c>privacy export</c>), and its erasure
/// (<c>privacy erase</c>): tickets with their events and transcript excerpts, the conversations linked to them (history,
/// bot state with the handoff's contact details, answer audit, unanswered questions, privacy requests), the relay lines
/// on the advisors' page, the ticket's cards (redacted, as retention does), outbox rows and .eml files. An erasure is
/// recorded with counts only. On SQLite the deletes run with <c>secure_delete</c> and the WAL is checkpointed and
/// truncated, so no copy of the data stays in the files; a running bot's state cache is told through a marker file.
/// </summary>
public sealed partial class PrivacyService(IDbContextFactory<BotDbContext> dbFactory, IOptions<EmailOptions> email, TimeProvider time, ILogger<PrivacyService> logger)
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>How long the erasure waits for a turn in flight before its second pass over the conversations.</summary>
    public static TimeSpan SecondPassDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The marker a running bot on the same SQLite file watches to forget its cached state (see <see cref="ErasureMarkerWatcher"/>).</summary>
    public static string MarkerPath(string databasePath) => databasePath + ".erased";

    public async Task<JsonObject> ExportAsync(PrivacySubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await FindAsync(db, subject, cancellationToken);
        var numbers = found.Tickets.Select(t => t.Number).ToList();
        var ticketIds = found.Tickets.Select(t => t.Id).ToList();
        var events = await db.TicketEvents.AsNoTracking().Where(e => ticketIds.Contains(e.TicketId)).OrderBy(e => e.Id).ToListAsync(cancellationToken);
        var export = new JsonObject
        {
            ["subject"] = new JsonObject { ["email"] = subject.Email, ["organisationNumber"] = subject.OrganisationNumber, ["conversation"] = subject.Conversation is { } c ? $"{c.ChannelId}:{c.ConversationId}" : null },
            ["exportedAt"] = time.GetUtcNow(),
            ["tickets"] = new JsonArray([.. found.Tickets.Select(t =>
            {
                var node = JsonSerializer.SerializeToNode(t, Indented)!.AsObject();
                node["events"] = JsonSerializer.SerializeToNode(events.Where(e => e.TicketId == t.Id).Select(e => new { e.At, Action = TicketEventNames.Name(e.Action), Source = TicketEventNames.Name(e.Source), e.AdvisorId, e.Detail }), Indented);
                return (JsonNode)node;
            })]),
            ["conversations"] = new JsonArray(),
        };
        foreach (var (channelId, conversationId) in found.Conversations)
        {
            var stateKeys = StateKeys(db, channelId, conversationId);
            var activities = await db.DirectLineActivities.AsNoTracking().Where(a => channelId == DirectLineActivities.ChannelId && a.ConversationId == conversationId)
                .OrderBy(a => a.Sequence).Select(a => a.Json).ToListAsync(cancellationToken);
            var state = await db.BotState.AsNoTracking().Where(s => stateKeys.Contains(s.Key)).Select(s => new { s.Key, s.Json, s.UpdatedAt }).ToListAsync(cancellationToken);
            export["conversations"]!.AsArray().Add(new JsonObject
            {
                ["channelId"] = channelId,
                ["conversationId"] = conversationId,
                ["activities"] = new JsonArray([.. activities.Select(a => JsonNode.Parse(a))]),
                ["state"] = new JsonArray([.. state.Select(s => (JsonNode)new JsonObject { ["key"] = s.Key, ["updatedAt"] = s.UpdatedAt, ["value"] = JsonNode.Parse(s.Json) })]),
                ["answerRecords"] = JsonSerializer.SerializeToNode(await db.AnswerRecords.AsNoTracking().Where(r => r.ChannelId == channelId && r.ConversationId == conversationId).OrderBy(r => r.Id).ToListAsync(cancellationToken), Indented),
                ["unansweredQuestions"] = JsonSerializer.SerializeToNode(await db.UnansweredQuestions.AsNoTracking().Where(q => q.ChannelId == channelId && q.ConversationId == conversationId).OrderBy(q => q.Id).ToListAsync(cancellationToken), Indented),
                ["privacyRequests"] = JsonSerializer.SerializeToNode(await db.PrivacyRequests.AsNoTracking().Where(q => q.ChannelId == channelId && q.ConversationId == conversationId).OrderBy(q => q.Id).Select(q => new { q.Id, q.Kind, q.CreatedAt, q.HandledAt }).ToListAsync(cancellationToken), Indented),
            });
        }

        export["advisorsPageLines"] = new JsonArray([.. (await db.DirectLineActivities.AsNoTracking().Where(a => a.RetainWith != null && numbers.Contains(a.RetainWith)).OrderBy(a => a.Id).Select(a => a.Json).ToListAsync(cancellationToken))
            .Concat(await AdvisorsPageLinesNaming(db, found.Tickets).AsNoTracking().OrderBy(a => a.Id).Select(a => a.Json).ToListAsync(cancellationToken))
            .Select(a => JsonNode.Parse(a))]);
        export["outbox"] = new JsonArray([.. (await OutboxOf(db, found, subject).OrderBy(m => m.Id).ToListAsync(cancellationToken))
            .Select(m => (JsonNode)new JsonObject { ["kind"] = m.Kind, ["createdAt"] = m.CreatedAt, ["sentAt"] = m.SentAt, ["payload"] = JsonNode.Parse(m.Payload) })]);
        export["mailFiles"] = new JsonArray([.. MailFiles(subject, numbers).Select(f => (JsonNode)Path.GetFileName(f)!)]);

        // The chat's access requests of these conversations are answered by this export.
        var now = time.GetUtcNow();
        foreach (var (channelId, conversationId) in found.Conversations)
        {
            await db.PrivacyRequests.Where(r => r.ChannelId == channelId && r.ConversationId == conversationId && r.Kind == "access" && r.HandledAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.HandledAt, now), cancellationToken);
        }

        return export;
    }

    public async Task<ErasureResult> EraseAsync(PrivacySubject subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subject);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var sqlite = db.Database.IsSqlite();
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (sqlite)
        {
            // Deleted rows are overwritten with zeros in the file, not only unlinked.
            await db.Database.ExecuteSqlRawAsync("PRAGMA secure_delete = ON;", cancellationToken);
        }

        var found = await FindAsync(db, subject, cancellationToken);
        var numbers = found.Tickets.Select(t => t.Number).ToList();
        var now = time.GetUtcNow();
        var rows = 0;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The outbox first: a card post or email still queued for a ticket about to go must not be sent.
            rows += await OutboxOf(db, found, subject).ExecuteDeleteAsync(cancellationToken);
            rows += await RedactCardsAsync(db, found.Tickets, now, cancellationToken);
            rows += await db.DirectLineActivities.Where(a => a.RetainWith != null && numbers.Contains(a.RetainWith)).ExecuteDeleteAsync(cancellationToken);
            rows += await AdvisorsPageLinesNaming(db, found.Tickets).ExecuteDeleteAsync(cancellationToken);
            var ids = found.Tickets.Select(t => t.Id).ToList();
            rows += await db.TicketEvents.Where(e => ids.Contains(e.TicketId)).ExecuteDeleteAsync(cancellationToken);
            rows += await db.Tickets.Where(t => ids.Contains(t.Id)).ExecuteDeleteAsync(cancellationToken);
            rows += await EraseConversationsAsync(db, found.Conversations, subject, cancellationToken);
            db.PrivacyErasures.Add(new PrivacyErasure { At = now, By = subject.By, Tickets = found.Tickets.Count, Conversations = found.Conversations.Count, Rows = rows });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var databasePath = sqlite ? db.Database.GetDbConnection().DataSource : null;
        if (databasePath is not null)
        {
            // A running bot on this file forgets its cached state.
            await File.WriteAllTextAsync(MarkerPath(databasePath), now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }

        // A turn that was in flight on a running bot (any instance, either database) may still write its conversation's
        // state back, or the answer audit it queued: the conversations are erased once more after it. Real time,
        // whatever clock the bot runs on: the turn in flight runs on it.
        await Task.Delay(SecondPassDelay, cancellationToken);
        rows += await EraseConversationsAsync(db, found.Conversations, subject, cancellationToken);
        if (databasePath is not null)
        {
            await File.WriteAllTextAsync(MarkerPath(databasePath), time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
        }

        var files = 0;
        foreach (var file in MailFiles(subject, numbers))
        {
            File.Delete(file);
            files++;
        }

        var rewritten = !sqlite || await CheckpointAsync(db, cancellationToken);
        await db.PrivacyErasures.OrderByDescending(e => e.Id).Take(1).ExecuteUpdateAsync(s => s.SetProperty(e => e.Rows, rows).SetProperty(e => e.Files, files), cancellationToken);
        if (sqlite)
        {
            await CheckpointAsync(db, cancellationToken);
        }

        LogErased(logger, subject.By, found.Tickets.Count, found.Conversations.Count, rows, files);
        return new ErasureResult(found.Tickets.Count, found.Conversations.Count, rows, files, rewritten);
    }

    /// <summary>Copies the WAL into the database file and truncates it to nothing (the WAL holds old copies of pages).</summary>
    private static async Task<bool> CheckpointAsync(BotDbContext db, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var connection = db.Database.GetDbConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && reader.GetInt32(0) == 0)
            {
                return true;
            }

            await Task.Delay(100, cancellationToken);
        }

        return false;
    }

    private sealed record Found(List<Ticket> Tickets, List<(string ChannelId, string ConversationId)> Conversations);

    private static async Task<Found> FindAsync(BotDbContext db, PrivacySubject subject, CancellationToken cancellationToken)
    {
        var tickets = db.Tickets.AsNoTracking();
        List<Ticket> matched;
        if (subject.Email is { } address)
        {
            matched = await tickets.Where(t => t.Email != null && t.Email.ToLower() == address).ToListAsync(cancellationToken);
        }
        else if (subject.OrganisationNumber is { } digits)
        {
            string[] forms = [digits, $"{digits[..6]}-{digits[6..]}", $"{digits[..6]} {digits[6..]}"];
            matched = await tickets.Where(t => t.OrganisationNumber != null && forms.Contains(t.OrganisationNumber)).ToListAsync(cancellationToken);
        }
        else
        {
            var (channelId, conversationId) = subject.Conversation!.Value;
            matched = await tickets.Where(t => t.ChannelId == channelId && t.ConversationId == conversationId).ToListAsync(cancellationToken);
        }

        var conversations = matched.Select(t => (t.ChannelId, t.ConversationId)).ToHashSet();
        if (subject.Conversation is { } asked)
        {
            conversations.Add(asked);
        }

        // The conversation's other tickets go with it: they hold what the same company wrote there.
        foreach (var (channelId, conversationId) in conversations.ToList())
        {
            var ids = matched.Select(t => t.Id).ToList();
            matched.AddRange(await tickets.Where(t => t.ChannelId == channelId && t.ConversationId == conversationId && !ids.Contains(t.Id)).ToListAsync(cancellationToken));
        }

        // A handoff under way keeps the contact details in the conversation's state before any ticket exists.
        if (Needle(subject) is { } needle)
        {
            var keys = await db.BotState.AsNoTracking().Where(s => s.Json.ToLower().Contains(needle)).Select(s => s.Key).ToListAsync(cancellationToken);
            foreach (var key in keys)
            {
                var at = key.IndexOf("/conversations/", StringComparison.Ordinal);
                if (at > 0)
                {
                    conversations.Add((key[..at], key[(at + "/conversations/".Length)..]));
                }
            }
        }

        return new Found(matched, [.. conversations.OrderBy(c => c.ChannelId, StringComparer.Ordinal).ThenBy(c => c.ConversationId, StringComparer.Ordinal)]);
    }

    /// <summary>The text a stored JSON holds when it is about the subject (the address, or the number as the bot writes it).</summary>
    private static string? Needle(PrivacySubject subject) =>
        subject.Email ?? (subject.OrganisationNumber is { } d ? $"{d[..6]}-{d[6..]}" : null);

    /// <summary>
    /// The advisors' own lines about the tickets on the advisors' page (a reply starts with the ticket's number, a card's
    /// button names it): kept by age, not with the ticket, so found by the number. The ticket's card is left to be
    /// redacted.
    /// </summary>
    private static IQueryable<DirectLineActivity> AdvisorsPageLinesNaming(BotDbContext db, List<Ticket> tickets)
    {
        var numbers = tickets.Select(t => t.Number).ToList();
        var cards = tickets.Where(t => t.AdvisorActivityId != null).Select(t => t.AdvisorActivityId!).ToList();
        var pages = db.AdvisorChannels.Where(c => c.ChannelId == DirectLineActivities.ChannelId).Select(c => c.ConversationId);
        var lines = db.DirectLineActivities.Where(a => a.RetainWith == null && pages.Contains(a.ConversationId) && !cards.Contains(a.ActivityId));
        // One condition per number (a handful per person): "Json contains this number or that one".
        var predicate = numbers.Aggregate((System.Linq.Expressions.Expression<Func<DirectLineActivity, bool>>)(_ => false), (e, n) => Or(e, a => a.Json.Contains(n)));
        return lines.Where(predicate);
    }

    private static System.Linq.Expressions.Expression<Func<T, bool>> Or<T>(System.Linq.Expressions.Expression<Func<T, bool>> left, System.Linq.Expressions.Expression<Func<T, bool>> right)
    {
        var parameter = left.Parameters[0];
        var body = System.Linq.Expressions.Expression.OrElse(left.Body, new ParameterSwap(right.Parameters[0], parameter).Visit(right.Body)!);
        return System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(body, parameter);
    }

    private sealed class ParameterSwap(System.Linq.Expressions.ParameterExpression from, System.Linq.Expressions.ParameterExpression to) : System.Linq.Expressions.ExpressionVisitor
    {
        protected override System.Linq.Expressions.Expression VisitParameter(System.Linq.Expressions.ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    private static IQueryable<OutboxMessage> OutboxOf(BotDbContext db, Found found, PrivacySubject subject)
    {
        var partitions = found.Tickets.SelectMany(t => new[] { TicketOutbox.AdvisorPartition(t.Number), TicketOutbox.CompanyPartition(t.Number), TicketOutbox.EmailPartition(t.Number) }).ToList();
        var needle = Needle(subject);
        // The payloads are written by System.Text.Json, which escapes '+' and letters outside ASCII.
        var escaped = needle is null ? null : JsonSerializer.Serialize(needle)[1..^1].ToLowerInvariant();
        return db.Outbox.Where(m => m.Kind != OutboxKinds.AdvisorCardRedact
            && ((m.Partition != null && partitions.Contains(m.Partition))
                || (needle != null && (m.Payload.ToLower().Contains(needle) || m.Payload.ToLower().Contains(escaped!)))));
    }

    /// <summary>
    /// The ticket's cards in the advisors' channel: each gets an outbox row that replaces it with the redacted card (in
    /// Teams, or on open pages); on the local page the stored card itself is rewritten now, so the database keeps no copy.
    /// </summary>
    private static async Task<int> RedactCardsAsync(BotDbContext db, List<Ticket> tickets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = 0;
        foreach (var ticket in tickets.Where(t => t.AdvisorActivityId != null && t.AdvisorConversationId != null))
        {
            if (!await db.Outbox.AnyAsync(m => m.IdempotencyKey == "redact-" + ticket.Number, cancellationToken))
            {
                TicketOutbox.QueueRedaction(db, new RedactedCardPayload(ticket.Number, ticket.AdvisorConversationId!, ticket.AdvisorActivityId!), now);
            }

            var card = await db.DirectLineActivities.SingleOrDefaultAsync(a => a.ConversationId == ticket.AdvisorConversationId && a.ActivityId == ticket.AdvisorActivityId, cancellationToken);
            if (card is not null && JsonNode.Parse(card.Json) is JsonObject activity)
            {
                activity["attachments"] = new JsonArray(new JsonObject { ["contentType"] = Dialogs.Cards.AdaptiveCard.ContentType, ["content"] = TicketCard.Redacted(ticket.Number) });
                activity.Remove("text");
                activity.Remove("speak");
                card.Json = activity.ToJsonString();
                // A line of no ticket now: it goes by its age, as retention leaves a redacted card.
                card.RetainWith = null;
                rows++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        return rows;
    }

    private static async Task<int> EraseConversationsAsync(BotDbContext db, List<(string ChannelId, string ConversationId)> conversations, PrivacySubject subject, CancellationToken cancellationToken)
    {
        var rows = 0;
        foreach (var (channelId, conversationId) in conversations)
        {
            var stateKeys = StateKeys(db, channelId, conversationId);
            rows += await db.BotState.Where(s => stateKeys.Contains(s.Key)).ExecuteDeleteAsync(cancellationToken);
            if (channelId == DirectLineActivities.ChannelId)
            {
                rows += await db.DirectLineActivities.Where(a => a.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
                rows += await db.DirectLineConversations.Where(c => c.Id == conversationId).ExecuteDeleteAsync(cancellationToken);
            }

            rows += await db.AnswerRecords.Where(r => r.ChannelId == channelId && r.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
            rows += await db.UnansweredQuestions.Where(q => q.ChannelId == channelId && q.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
            rows += await db.PrivacyRequests.Where(q => q.ChannelId == channelId && q.ConversationId == conversationId).ExecuteDeleteAsync(cancellationToken);
        }

        if (Needle(subject) is { } needle)
        {
            // State of other shapes that still holds the address or number (user state, say).
            rows += await db.BotState.Where(s => s.Json.ToLower().Contains(needle)).ExecuteDeleteAsync(cancellationToken);
        }

        return rows;
    }

    /// <summary>The conversation's state key and, on the embedded channel, its user's (the Bot Builder key layout).</summary>
    private static List<string> StateKeys(BotDbContext db, string channelId, string conversationId)
    {
        var keys = new List<string> { $"{channelId}/conversations/{conversationId}" };
        if (channelId == DirectLineActivities.ChannelId)
        {
            keys.AddRange(db.DirectLineConversations.AsNoTracking().Where(c => c.Id == conversationId).Select(c => $"{channelId}/users/{c.UserId}").ToList());
        }

        return keys;
    }

    /// <summary>The .eml files in the pickup folder that name the subject or one of its tickets.</summary>
    private List<string> MailFiles(PrivacySubject subject, List<string> numbers)
    {
        var folder = email.Value.PickupFolder;
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            return [];
        }

        var needle = Needle(subject);
        return [.. Directory.EnumerateFiles(folder, "*.eml").Order(StringComparer.Ordinal).Where(f =>
        {
            var text = File.ReadAllText(f);
            return (needle is not null && text.Contains(needle, StringComparison.OrdinalIgnoreCase)) || numbers.Any(n => text.Contains(n, StringComparison.Ordinal));
        })];
    }

    [LoggerMessage(EventId = 6402, Level = LogLevel.Information, Message = "Privacy erasure by {By}: {Tickets} tickets, {Conversations} conversations, {Rows} rows, {Files} mail files.")]
    private static partial void LogErased(ILogger logger, string by, int tickets, int conversations, int rows, int files);
}
