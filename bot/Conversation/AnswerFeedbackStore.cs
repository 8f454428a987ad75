using ExportCenter.Bot.Storage;
using ExportCenter.Dialogs.Conversation;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Conversation;

/// <summary>One answer to "did this help?": topic, facet, yes or no, language and when. No message text, no person.</summary>
public sealed class AnswerFeedbackRecord
{
    public long Id { get; set; }

    public required string TopicId { get; set; }

    public string? Facet { get; set; }

    public bool Helped { get; set; }

    public required string Language { get; set; }

    public DateTimeOffset At { get; set; }
}

/// <summary>Keeps the answers to "did this help?" in the bot's database (retention deletes them after their period).</summary>
public sealed class AnswerFeedbackStore(IDbContextFactory<BotDbContext> dbFactory, TimeProvider time) : IAnswerFeedback
{
    public async Task RecordAsync(AnswerFeedback feedback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.AnswerFeedback.Add(new AnswerFeedbackRecord
        {
            TopicId = feedback.TopicId,
            Facet = feedback.Facet,
            Helped = feedback.Helped,
            Language = feedback.Language,
            At = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
