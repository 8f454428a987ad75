using System.Collections.Concurrent;
using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>Keeps the answer audit and the unanswered questions in memory, in the order the conversation recorded them.</summary>
public sealed class FakeAnswerRecords : IAnswerRecords
{
    public ConcurrentQueue<AnswerRecordEntry> Records { get; } = new();

    public ConcurrentQueue<UnansweredQuestionEntry> Unanswered { get; } = new();

    public void Record(AnswerRecordEntry entry) => Records.Enqueue(entry);

    public void RecordUnanswered(UnansweredQuestionEntry entry) => Unanswered.Enqueue(entry);
}
