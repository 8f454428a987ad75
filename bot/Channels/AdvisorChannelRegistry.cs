using ExportCenter.Bot.Channels.Teams;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels;

/// <summary>
/// The advisors' channel registration, kept in the database (never in memory, so every instance and every
/// restart agrees): from configuration, learned from the Teams installation, or the local advisors' page.
/// A Teams registration takes precedence over the local page. Without a configured team, an installation that
/// would move a working channel is only kept as pending (<see cref="SavePendingTeamsAsync"/>) until a coordinator
/// confirms it (<see cref="ConfirmPendingAsync"/>), since the companies' details follow the channel.
/// </summary>
public sealed partial class AdvisorChannelRegistry(IDbContextFactory<BotDbContext> dbFactory, IOptions<TeamsOptions> teams, TimeProvider time, ILogger<AdvisorChannelRegistry> logger)
{
    public const string TeamsChannel = "msteams";

    /// <summary>What a coordinator writes in the advisors' current channel to move it to the pending installation.</summary>
    public const string ConfirmMoveCommand = "bekräfta kanalbyte";

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
        await SaveAsync(AdvisorChannel.Key, TeamsChannel, serviceUrl, o.ChannelId, o.TenantId, o.TeamId, "configuration", replaceTeams: true, cancellationToken);
    }

    /// <summary>Learns the Teams channel from an installation or a message in the advisors' team.</summary>
    public Task LearnFromTeamsAsync(string serviceUrl, string channelId, string tenantId, string teamId, string source, CancellationToken cancellationToken) =>
        SaveAsync(AdvisorChannel.Key, TeamsChannel, serviceUrl, channelId, tenantId, teamId, source, replaceTeams: true, cancellationToken);

    /// <summary>Keeps a Teams installation that would move the working advisors' channel, replacing an earlier one, until a coordinator confirms it.</summary>
    public Task SavePendingTeamsAsync(string serviceUrl, string channelId, string tenantId, string teamId, CancellationToken cancellationToken) =>
        SaveAsync(AdvisorChannel.PendingKey, TeamsChannel, serviceUrl, channelId, tenantId, teamId, "installation", replaceTeams: true, cancellationToken);

    /// <summary>The installation waiting for a coordinator, or null.</summary>
    public async Task<AdvisorChannel?> GetPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AdvisorChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == AdvisorChannel.PendingKey, cancellationToken);
    }

    /// <summary>Makes the pending installation the advisors' channel, in one transaction; returns it, or null when none was pending.</summary>
    public async Task<AdvisorChannel?> ConfirmPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.AdvisorChannels.Where(c => c.Id == AdvisorChannel.Key || c.Id == AdvisorChannel.PendingKey).ToListAsync(cancellationToken);
        var pending = rows.SingleOrDefault(c => c.Id == AdvisorChannel.PendingKey);
        if (pending is null)
        {
            return null;
        }

        var current = rows.SingleOrDefault(c => c.Id == AdvisorChannel.Key);
        if (current is null)
        {
            current = new AdvisorChannel { Id = AdvisorChannel.Key, ChannelId = pending.ChannelId, ServiceUrl = pending.ServiceUrl, ConversationId = pending.ConversationId, Source = pending.Source };
            db.AdvisorChannels.Add(current);
        }

        Fill(current, pending.ChannelId, pending.ServiceUrl, pending.ConversationId, pending.TenantId, pending.TeamId, "confirmed installation");
        db.AdvisorChannels.Remove(pending);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another coordinator confirmed it at the same moment; that confirmation stands.
            return null;
        }

        LogRegistered(logger, current.ChannelId, current.Source);
        return current;
    }

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
        await SaveAsync(AdvisorChannel.Key, "directline", serviceUrl, conversationId, null, null, "advisors-page", replaceTeams: false, cancellationToken);

    private async Task<bool> SaveAsync(string key, string channel, string serviceUrl, string conversationId, string? tenantId, string? teamId, string source, bool replaceTeams, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.AdvisorChannels.SingleOrDefaultAsync(c => c.Id == key, cancellationToken);
        if (row is null)
        {
            row = new AdvisorChannel { Id = key, ChannelId = channel, ServiceUrl = serviceUrl, ConversationId = conversationId, Source = source };
            db.AdvisorChannels.Add(row);
        }
        else if (row.ChannelId == TeamsChannel && !replaceTeams)
        {
            return false;
        }

        Fill(row, channel, serviceUrl, conversationId, tenantId, teamId, source);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance registered at the same moment; its row stands.
            return false;
        }

        if (key == AdvisorChannel.Key)
        {
            LogRegistered(logger, channel, source);
        }
        else
        {
            LogPending(logger, channel);
        }

        return true;
    }

    private void Fill(AdvisorChannel row, string channel, string serviceUrl, string conversationId, string? tenantId, string? teamId, string source)
    {
        row.ChannelId = channel;
        row.ServiceUrl = serviceUrl;
        row.ConversationId = conversationId;
        row.TenantId = tenantId;
        row.TeamId = teamId;
        row.Source = source;
        row.UpdatedAt = time.GetUtcNow();
    }

    [LoggerMessage(EventId = 8511, Level = LogLevel.Information, Message = "Advisors' channel registered: {Channel} (from {Source}).")]
    private static partial void LogRegistered(ILogger logger, string channel, string source);

    [LoggerMessage(EventId = 8512, Level = LogLevel.Warning, Message = "A {Channel} installation would move the working advisors' channel; it waits for a coordinator's confirmation.")]
    private static partial void LogPending(ILogger logger, string channel);
}
