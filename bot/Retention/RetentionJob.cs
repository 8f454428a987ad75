using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Retention;

/// <summary>How long data is kept (section "Retention"); the privacy notice states the same periods.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>
    /// Conversations (and their history) with no activity for this long are deleted; on the advisors' page,
    /// lines that belong to no ticket are deleted this long after they were written.
    /// </summary>
    public TimeSpan Conversations { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Bot state not written for this long is deleted.</summary>
    public TimeSpan BotState { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Resolved tickets (with the contact details) are deleted this long after they were resolved.</summary>
    public TimeSpan ResolvedTickets { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// Outbox messages (they hold email addresses and what the company is told) are deleted this long after they were
    /// sent; one never sent (given up, or still failing) this long after it was written.
    /// </summary>
    public TimeSpan SentMessages { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Answers to "did this help?" (topic, facet, yes/no; no message text) are deleted after this long.</summary>
    public TimeSpan AnswerFeedback { get; set; } = TimeSpan.FromDays(365);

    /// <summary>
    /// The answer audit (what the bot decided on each message: topic, scores, knowledge-base revision; no message text,
    /// but the conversation's id) is deleted after this long.
    /// </summary>
    public TimeSpan AnswerRecords { get; set; } = TimeSpan.FromDays(180);

    /// <summary>The questions the bot could not answer (their text, masked) are deleted after this long.</summary>
    public TimeSpan UnansweredQuestions { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Run the background job (tests call <see cref="RetentionSweeper"/> themselves).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the job runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>
/// Deletes what is past its retention period. Idempotent, so several instances may run it. The state it deletes is
/// forgotten by the instance's state cache too (SQLite), so a deleted conversation's state cannot come back from memory.
/// </summary>
public sealed partial class RetentionSweeper(IDbContextFactory<BotDbContext> dbFactory, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger, StateItemCache? stateCache = null)
{
    public async Task<RetentionResult> SweepAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var conversationsBefore = now - o.Conversations;
        var stateBefore = now - o.BotState;
        var ticketsBefore = now - o.ResolvedTickets;
        var messagesBefore = now - o.SentMessages;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // The advisors' page conversation is always in use, so it is never idle long enough to go as a whole;
        // its lines go one by one instead (below), and those of open tickets stay however old.
        var advisorsPages = AdvisorsPageConversations(db);
        var activities = await db.DirectLineActivities
            .Where(a => db.DirectLineConversations.Any(c => c.Id == a.ConversationId && c.LastActivityAt < conversationsBefore && !advisorsPages.Contains(c.Id)))
            .ExecuteDeleteAsync(cancellationToken);
        var conversations = await db.DirectLineConversations.Where(c => c.LastActivityAt < conversationsBefore && !advisorsPages.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
        var advisorsLines = await DeleteOldAdvisorsPageLinesAsync(db, conversationsBefore, cancellationToken);
        int state;
        try
        {
            state = await db.BotState.Where(s => s.UpdatedAt < stateBefore).ExecuteDeleteAsync(cancellationToken);
        }
        finally
        {
            // Also when the delete failed after it committed: what memory holds may be gone from the database.
            stateCache?.Clear();
        }
        var tickets = await DeleteTicketsAsync(db, ticketsBefore, now, cancellationToken);
        advisorsLines += await DeleteLinesOfDeletedTicketsAsync(db, cancellationToken);
        var messages = await db.Outbox.Where(m => m.SentAt != null ? m.SentAt < messagesBefore : m.CreatedAt < messagesBefore).ExecuteDeleteAsync(cancellationToken);
        var feedbackBefore = now - o.AnswerFeedback;
        var feedback = await db.AnswerFeedback.Where(f => f.At < feedbackBefore).ExecuteDeleteAsync(cancellationToken);
        var recordsBefore = now - o.AnswerRecords;
        var records = await db.AnswerRecords.Where(r => r.At < recordsBefore).ExecuteDeleteAsync(cancellationToken);
        var questionsBefore = now - o.UnansweredQuestions;
        var questions = await db.UnansweredQuestions.Where(q => q.At < questionsBefore).ExecuteDeleteAsync(cancellationToken);
        var result = new RetentionResult(conversations, activities, state, tickets, messages)
        {
            AnswerFeedback = feedback,
            AdvisorsPageLines = advisorsLines,
            AnswerRecords = records,
            UnansweredQuestions = questions,
        };
        LogSwept(logger, conversations, activities, state, tickets, messages, advisorsLines);
        return result;
    }

    /// <summary>The embedded conversations registered as the advisors' channel (the local advisors' page).</summary>
    private static IQueryable<string> AdvisorsPageConversations(BotDbContext db) =>
        db.AdvisorChannels.Where(c => c.ChannelId == DirectLineActivities.ChannelId).Select(c => c.ConversationId);

    /// <summary>
    /// Lines on the advisors' page that belong to no ticket (greetings, the advisors' own messages, the bot's
    /// answers to them, a deleted ticket's redacted card) go once they are older than the conversations'
    /// period. A ticket's card is kept with the ticket even when it was posted without a key (before keys were kept).
    /// </summary>
    private static Task<int> DeleteOldAdvisorsPageLinesAsync(BotDbContext db, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var advisorsPages = AdvisorsPageConversations(db);
        return db.DirectLineActivities
            .Where(a => a.RetainWith == null && a.Timestamp < before && advisorsPages.Contains(a.ConversationId)
                && !db.Tickets.Any(t => t.AdvisorConversationId == a.ConversationId && t.AdvisorActivityId == a.ActivityId))
            .ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Lines kept with a ticket (its card, what the company wrote to the advisor, reminders) go when the ticket
    /// is gone, however recent they are.
    /// </summary>
    private static Task<int> DeleteLinesOfDeletedTicketsAsync(BotDbContext db, CancellationToken cancellationToken) =>
        db.DirectLineActivities
            .Where(a => a.RetainWith != null && !db.Tickets.Any(t => t.Number == a.RetainWith))
            .ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// Deletes resolved tickets past their period. Their cards in the advisors' channel still show the
    /// company's details, so in the same transaction each posted card gets an outbox row that replaces it
    /// with a card saying the details were deleted (the row itself holds no personal data).
    /// </summary>
    private static async Task<int> DeleteTicketsAsync(BotDbContext db, DateTimeOffset before, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var expired = db.Tickets.Where(t => t.Status == TicketStatus.Resolved && t.ResolvedAt != null && t.ResolvedAt < before);
        var cards = await expired.Where(t => t.AdvisorActivityId != null && t.AdvisorConversationId != null)
            .Select(t => new RedactedCardPayload(t.Number, t.AdvisorConversationId!, t.AdvisorActivityId!))
            .ToListAsync(cancellationToken);
        foreach (var card in cards)
        {
            TicketOutbox.QueueRedaction(db, card, now);
        }

        await db.SaveChangesAsync(cancellationToken);

        // On the advisors' page the card stays as a line of no ticket, going by its age from the next sweep on,
        // so that the redaction reaches the pages that are open; the ticket's other lines go with the ticket.
        await db.DirectLineActivities
            .Where(a => a.RetainWith != null && expired.Any(t => t.AdvisorConversationId == a.ConversationId && t.AdvisorActivityId == a.ActivityId))
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.RetainWith, (string?)null), cancellationToken);
        var deleted = await expired.ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Retention: deleted {Conversations} conversations ({Activities} activities), {State} state items, {Tickets} resolved tickets, {Messages} outbox messages, {AdvisorsPageLines} lines of the advisors' page.")]
    private static partial void LogSwept(ILogger logger, int conversations, int activities, int state, int tickets, int messages, int advisorsPageLines);
}

/// <summary>What one sweep deleted.</summary>
public sealed record RetentionResult(int Conversations, int Activities, int BotState, int Tickets, int Messages)
{
    /// <summary>Answers to "did this help?" deleted.</summary>
    public int AnswerFeedback { get; init; }

    /// <summary>Lines deleted from the advisors' page conversation (kept with a deleted ticket, or old and of no ticket).</summary>
    public int AdvisorsPageLines { get; init; }

    /// <summary>Answer-audit records deleted.</summary>
    public int AnswerRecords { get; init; }

    /// <summary>Unanswered questions deleted.</summary>
    public int UnansweredQuestions { get; init; }
}

/// <summary>Runs the sweeper periodically.</summary>
public sealed class RetentionJob(RetentionSweeper sweeper, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionJob> logger)
    : Hosting.PeriodicWorker(time, logger)
{
    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => sweeper.SweepAsync(cancellationToken);
}

/// <summary>Registers retention.</summary>
public static class RetentionExtensions
{
    public static IHostApplicationBuilder AddRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().Bind(builder.Configuration.GetSection(RetentionOptions.SectionName))
            .Validate(o => o.Conversations > TimeSpan.Zero && o.BotState > TimeSpan.Zero && o.ResolvedTickets > TimeSpan.Zero && o.SentMessages > TimeSpan.Zero && o.Interval > TimeSpan.Zero, "Retention periods must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<RetentionSweeper>();
        builder.Services.AddHostedService<RetentionJob>();
        return builder;
    }
}
