namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// A company's answer to "did this help?", so the export centre can see later which answers fail. It holds
/// the topic, the facet and yes or no, and never the message text.
/// </summary>
/// <param name="TopicId">The topic of the answer.</param>
/// <param name="Facet">The facet answered (cost, time, …), or null for the topic's answer itself.</param>
/// <param name="Helped">Yes or no.</param>
/// <param name="Language">The language the answer was in ("sv" or "en").</param>
public sealed record AnswerFeedback(string TopicId, string? Facet, bool Helped, string Language);

/// <summary>Where the answers to "did this help?" are kept.</summary>
public interface IAnswerFeedback
{
    /// <summary>Keeps one answer; throws when it could not be kept (the turn-error handler then tells the company).</summary>
    Task RecordAsync(AnswerFeedback feedback, CancellationToken cancellationToken);
}
