using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Retention;

/// <summary>How long data is kept (section "Retention"); the privacy notice states the same periods.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Conversations (and their history) with no activity for this long are deleted.</summary>
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

    /// <summary>Run the background job (tests call <see cref="RetentionSweeper"/> themselves).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the job runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);
}

/// <summary>Deletes what is past its retention period. Idempotent, so several instances may run it.</summary>
public sealed partial class RetentionSweeper(IDbContextFactory<BotDbContext> dbFactory, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweeper> logger)
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
        var activities = await db.DirectLineActivities
            .Where(a => db.DirectLineConversations.Any(c => c.Id == a.ConversationId && c.LastActivityAt < conversationsBefore))
            .ExecuteDeleteAsync(cancellationToken);
        var conversations = await db.DirectLineConversations.Where(c => c.LastActivityAt < conversationsBefore).ExecuteDeleteAsync(cancellationToken);
        var state = await db.BotState.Where(s => s.UpdatedAt < stateBefore).ExecuteDeleteAsync(cancellationToken);
        var tickets = await DeleteTicketsAsync(db, ticketsBefore, now, cancellationToken);
        var messages = await db.Outbox.Where(m => m.SentAt != null ? m.SentAt < messagesBefore : m.CreatedAt < messagesBefore).ExecuteDeleteAsync(cancellationToken);
        var feedbackBefore = now - o.AnswerFeedback;
        var feedback = await db.AnswerFeedback.Where(f => f.At < feedbackBefore).ExecuteDeleteAsync(cancellationToken);
        var result = new RetentionResult(conversations, activities, state, tickets, messages) { AnswerFeedback = feedback };
        LogSwept(logger, conversations, activities, state, tickets, messages);
        return result;
    }

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
        var deleted = await expired.ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Retention: deleted {Conversations} conversations ({Activities} activities), {State} state items, {Tickets} resolved tickets, {Messages} outbox messages.")]
    private static partial void LogSwept(ILogger logger, int conversations, int activities, int state, int tickets, int messages);
}

/// <summary>What one sweep deleted.</summary>
public sealed record RetentionResult(int Conversations, int Activities, int BotState, int Tickets, int Messages)
{
    /// <summary>Answers to "did this help?" deleted.</summary>
    public int AnswerFeedback { get; init; }
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
