using System.Collections.Concurrent;
using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>Keeps the chat's privacy requests in memory and hands out PR-00001, PR-00002, ...</summary>
public sealed class FakePrivacyRequests : IPrivacyRequests
{
    public ConcurrentQueue<(PrivacyRequestKind Kind, string ChannelId, string ConversationId, string Language)> Recorded { get; } = new();

    public Task<string> RecordAsync(PrivacyRequestKind kind, string channelId, string conversationId, string language, CancellationToken cancellationToken)
    {
        Recorded.Enqueue((kind, channelId, conversationId, language));
        return Task.FromResult($"PR-{Recorded.Count:D5}");
    }
}
