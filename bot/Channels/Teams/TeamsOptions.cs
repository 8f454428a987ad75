namespace ExportCenter.Bot.Channels.Teams;

/// <summary>The advisors' Teams channel (section "Teams").</summary>
public sealed class TeamsOptions
{
    public const string SectionName = "Teams";

    /// <summary>The export centre's tenant; Teams activities from other tenants get no advisor rights.</summary>
    public string? TenantId { get; set; }

    /// <summary>The advisors' team (the General channel's id, as in <c>channelData.team.id</c>).</summary>
    public string? TeamId { get; set; }

    /// <summary>The advisors' channel (<c>19:…@thread.tacv2</c>); learned from the installation when not set.</summary>
    public string? ChannelId { get; set; }

    /// <summary>The Bot Connector service URL for posting before Teams has sent anything (the documented default).</summary>
    public string ServiceUrl { get; set; } = "https://smba.trafficmanager.net/teams/";

    /// <summary>AAD object ids that may act as advisors from outside the team (they must still be in the directory).</summary>
    public List<string> AllowedAadObjectIds { get; set; } = [];

    public bool Configured => !string.IsNullOrWhiteSpace(TenantId) && !string.IsNullOrWhiteSpace(TeamId);

    /// <summary>The tenant, or null when not set (an empty setting counts as not set).</summary>
    public string? Tenant => string.IsNullOrWhiteSpace(TenantId) ? null : TenantId;

    /// <summary>The team, or null when not set.</summary>
    public string? Team => string.IsNullOrWhiteSpace(TeamId) ? null : TeamId;
}
