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

    /// <summary>Limits on failed password sign-ins, per login and per client address.</summary>
    public SignInLimitOptions SignIn { get; set; } = new();

    /// <summary>
    /// How far back the advisors' page reads its conversation when it opens: the lines of this last period, and
    /// the card of every open ticket however old.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan PageHistory { get; set; } = TimeSpan.FromDays(7);
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

    /// <summary>
    /// <c>false</c> deactivates the advisor at the next start; <c>true</c> activates it again after a deactivation
    /// (<c>advisors deactivate LOGIN</c> or an earlier <c>false</c>); left out, a deactivation holds.
    /// </summary>
    public bool? Active { get; set; }
}
