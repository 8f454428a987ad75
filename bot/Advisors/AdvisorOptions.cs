using System.ComponentModel.DataAnnotations;

namespace ExportCenter.Bot.Advisors;

/// <summary>The advisors' directory and the local advisors' page (section "Advisors").</summary>
public sealed class AdvisorOptions
{
    public const string SectionName = "Advisors";

    /// <summary>Advisors added to (or updated in) the directory at start-up.</summary>
    public List<AdvisorSeed> Directory { get; set; } = [];

    /// <summary>Serve the local advisors' page at /advisors (the advisors' channel when Teams is not set up).</summary>
    public bool LocalPage { get; set; } = true;

    /// <summary>The account the first start creates when the directory has no local sign-in yet.</summary>
    [Required]
    public string FirstLocalLogin { get; set; } = "radgivare";

    [Required]
    public string FirstLocalName { get; set; } = "Exportrådgivare";

    [Required]
    public string FirstLocalOrganisation { get; set; } = "region-dalarna";

    /// <summary>How long a one-time sign-in link is valid.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan SignInLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a sign-in on the advisors' page lasts.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

/// <summary>An advisor as configured.</summary>
public sealed class AdvisorSeed
{
    [Required]
    public string Name { get; set; } = string.Empty;

    /// <summary>An organisation id of the knowledge base (almi, een, business-sweden, …).</summary>
    [Required]
    public string OrganisationId { get; set; } = string.Empty;

    /// <summary>The advisor's Microsoft Entra object id, for Teams.</summary>
    public string? AadObjectId { get; set; }

    /// <summary>A user name for the local advisors' page.</summary>
    public string? LocalLogin { get; set; }

    public bool IsCoordinator { get; set; }
}

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

/// <summary>The SLA monitor (section "Sla").</summary>
public sealed class SlaOptions
{
    public const string SectionName = "Sla";

    public bool Enabled { get; set; } = true;

    /// <summary>The share of the counted time to the deadline after which an unclaimed ticket is reminded about.</summary>
    [Range(0.05, 0.99)]
    public double ReminderShare { get; set; } = 0.75;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A Teams channel for escalations; when empty they go into the ticket's own thread.</summary>
    public string? EscalationChannelId { get; set; }
}
