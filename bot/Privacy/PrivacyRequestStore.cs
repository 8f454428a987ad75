using ExportCenter.Bot.Storage;
using ExportCenter.Dialogs.Conversation;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Privacy;

/// <summary>Keeps the chat's privacy requests for the coordinators (listed for them on the queue page).</summary>
public sealed partial class PrivacyRequestStore(IDbContextFactory<BotDbContext> dbFactory, TimeProvider time, ILogger<PrivacyRequestStore> logger) : IPrivacyRequests
{
    public async Task<string> RecordAsync(PrivacyRequestKind kind, string channelId, string conversationId, string language, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = new PrivacyRequest
        {
            CreatedAt = time.GetUtcNow(),
            Kind = kind == PrivacyRequestKind.Erasure ? "erasure" : "access",
            ChannelId = channelId.Length <= 64 ? channelId : channelId[..64],
            ConversationId = conversationId.Length <= 256 ? conversationId : conversationId[..256],
            Language = language,
        };
        db.PrivacyRequests.Add(request);
        await db.SaveChangesAsync(cancellationToken);
        LogRequested(logger, request.Reference, request.Kind);
        return request.Reference;
    }

    /// <summary>The requests not handled yet, oldest first.</summary>
    public async Task<IReadOnlyList<PrivacyRequest>> OpenAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PrivacyRequests.AsNoTracking().Where(r => r.HandledAt == null).OrderBy(r => r.Id).ToListAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 6401, Level = LogLevel.Information, Message = "Privacy request {Reference} ({Kind}) received in the chat.")]
    private static partial void LogRequested(ILogger logger, string reference, string kind);
}
