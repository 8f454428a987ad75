namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// What the bot decided on one company message, for the answer audit ("why did the bot send this company to EKN?") and
/// for insight. It holds no message text: the action, the topic, facet and organisation answered, how the answer was
/// chosen, the classifier's two best topics with their probabilities, and the knowledge base's revision.
/// </summary>
/// <param name="ChannelId">The channel of the conversation (its ticket names the same).</param>
/// <param name="ConversationId">The conversation, so that the ticket it leads to can show how it came about.</param>
/// <param name="Action">The turn's outcome, as in <see cref="TurnOutcome"/>: answer, clarify, out_of_scope, handoff, smalltalk, status.</param>
/// <param name="Decision">How the reply was chosen: see <see cref="AnswerDecisions"/>.</param>
/// <param name="Language">The reply's language (ISO 639-1).</param>
public sealed record AnswerRecordEntry(string ChannelId, string ConversationId, string Action, string Decision, string Language)
{
    public string? TopicId { get; init; }

    public string? Facet { get; init; }

    public string? OrganisationId { get; init; }

    /// <summary>The probability of the best topic, when the classifier was asked.</summary>
    public float? Confidence { get; init; }

    public string? SecondTopicId { get; init; }

    public float? SecondScore { get; init; }
}

/// <summary>
/// A question the bot could not answer: out of scope, only a clarifying question, or answered and then "no" to "did this
/// help?". Its text is kept for the knowledge-base editors, and only masked (the bot's side masks it before it is kept).
/// </summary>
/// <param name="ChannelId">The conversation's channel.</param>
/// <param name="ConversationId">The conversation, so that the company's erasure finds the question.</param>
/// <param name="Reason">out_of_scope, clarify or not_helped.</param>
/// <param name="TopicId">The topic the bot guessed or had answered, if any.</param>
/// <param name="Language">The conversation's language (ISO 639-1).</param>
/// <param name="Text">The company's question as written (the store masks personal data before it keeps it).</param>
public sealed record UnansweredQuestionEntry(string ChannelId, string ConversationId, string Reason, string? TopicId, string Language, string Text);

/// <summary>How a reply was chosen, as kept in the answer audit.</summary>
public static class AnswerDecisions
{
    /// <summary>The classifier's decision on the message alone.</summary>
    public const string Classifier = "classifier";

    /// <summary>The conversation's context: a follow-up on the current topic, or facts the company gave before.</summary>
    public const string Context = "context";

    /// <summary>An organisation named in the message, or the one whose card was shown before.</summary>
    public const string Organisation = "organisation";

    /// <summary>A button on a card: a topic or a follow-up option the company chose.</summary>
    public const string Button = "button";

    /// <summary>A fixed reply: "are you a bot?", a pointer to another public service, an emoji.</summary>
    public const string Fixed = "fixed";

    /// <summary>The company asked for a person (a command, a button, or "no" to "did this help?").</summary>
    public const string Person = "person";

    /// <summary>The company asked how its case is doing.</summary>
    public const string Status = "status";
}

/// <summary>
/// Where the answer audit and the unanswered questions are kept. Recording never blocks or fails the turn: the store
/// writes in the background, and what it could not keep it logs (without the records' content).
/// </summary>
public interface IAnswerRecords
{
    void Record(AnswerRecordEntry entry);

    void RecordUnanswered(UnansweredQuestionEntry entry);
}
