using System.Collections.Concurrent;
using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>Keeps the answers to "did this help?" in memory, as the bot's store would keep them.</summary>
public sealed class FakeFeedback : IAnswerFeedback
{
    public ConcurrentQueue<AnswerFeedback> Recorded { get; } = new();

    public Task RecordAsync(AnswerFeedback feedback, CancellationToken cancellationToken)
    {
        Recorded.Enqueue(feedback);
        return Task.CompletedTask;
    }
}
