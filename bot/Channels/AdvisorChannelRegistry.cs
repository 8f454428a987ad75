using ExportCenter.Bot.Channels.Teams;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels;

/// <summary>
/// The advisors' channel registration, kept in the database (never in memory, so every instance and every
/// restart agrees): from configuration, learned from the Teams installation, or the local advisors' page.
/// A Teams registration takes precedence over the local page.
/// </summary>
public sealed partial class AdvisorChannelRegistry(IDbContextFactory<BotDbContext> dbFactory, IOptions<TeamsOptions> teams, TimeProvider time, ILogger<AdvisorChannelRegistry> logger)
{
    public const string TeamsChannel = "msteams";

    public async Task<AdvisorChannel?> GetAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AdvisorChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == AdvisorChannel.Key, cancellationToken);
    }

    /// <summary>Registers the configured Teams channel at start-up (keeping a service URL Teams has sent since).</summary>
    public async Task RegisterConfiguredAsync(CancellationToken cancellationToken)
    {
        var o = teams.Value;
        if (!o.Configured || string.IsNullOrWhiteSpace(o.ChannelId))
        {
            return;
        }

        var current = await GetAsync(cancellationToken);
        var serviceUrl = current is { ChannelId: TeamsChannel } ? current.ServiceUrl : o.ServiceUrl;
        await SaveAsync(TeamsChannel, serviceUrl, o.ChannelId, o.TenantId, o.TeamId, "configuration", replaceTeams: true, cancellationToken);
    }

    /// <summary>Learns the Teams channel from an installation or a message in the advisors' team.</summary>
    public Task LearnFromTeamsAsync(string serviceUrl, string channelId, string tenantId, string teamId, string source, CancellationToken cancellationToken) =>
        SaveAsync(TeamsChannel, serviceUrl, channelId, tenantId, teamId, source, replaceTeams: true, cancellationToken);

    /// <summary>
    /// Keeps the stored service URL current: Teams may change it, and every Teams activity carries the one
    /// to use (docs/protocol.md §7).
    /// </summary>
    public async Task RefreshServiceUrlAsync(string serviceUrl, string tenantId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.AdvisorChannels.Where(c => c.Id == AdvisorChannel.Key && c.ChannelId == TeamsChannel && c.TenantId == tenantId && c.ServiceUrl != serviceUrl)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ServiceUrl, serviceUrl), cancellationToken);
    }

    /// <summary>Registers the local advisors' page conversation, unless Teams is the advisors' channel.</summary>
    public async Task<bool> RegisterLocalPageAsync(string serviceUrl, string conversationId, CancellationToken cancellationToken) =>
        await SaveAsync("directline", serviceUrl, conversationId, null, null, "advisors-page", replaceTeams: false, cancellationToken);

    private async Task<bool> SaveAsync(string channel, string serviceUrl, string conversationId, string? tenantId, string? teamId, string source, bool replaceTeams, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.AdvisorChannels.SingleOrDefaultAsync(c => c.Id == AdvisorChannel.Key, cancellationToken);
        if (row is null)
        {
            row = new AdvisorChannel { Id = AdvisorChannel.Key, ChannelId = channel, ServiceUrl = serviceUrl, ConversationId = conversationId, Source = source };
            db.AdvisorChannels.Add(row);
        }
        else if (row.ChannelId == TeamsChannel && !replaceTeams)
        {
            return false;
        }

        row.ChannelId = channel;
        row.ServiceUrl = serviceUrl;
        row.ConversationId = conversationId;
        row.TenantId = tenantId;
        row.TeamId = teamId;
        row.Source = source;
        row.UpdatedAt = time.GetUtcNow();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance registered at the same moment; its row stands.
            return false;
        }

        LogRegistered(logger, channel, source);
        return true;
    }

    [LoggerMessage(EventId = 8511, Level = LogLevel.Information, Message = "Advisors' channel registered: {Channel} (from {Source}).")]
    private static partial void LogRegistered(ILogger logger, string channel, string source);
}
