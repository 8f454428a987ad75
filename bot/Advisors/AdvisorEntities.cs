namespace ExportCenter.Bot.Advisors;

/// <summary>An advisor in the directory. Every action on a ticket is attributed to one.</summary>
public sealed class Advisor
{
    public long Id { get; set; }

    /// <summary>The name the company is told ("Anna at Almi has your case").</summary>
    public required string Name { get; set; }

    /// <summary>The advisor's organisation (an id of the knowledge base's organisations).</summary>
    public required string OrganisationId { get; set; }

    /// <summary>The advisor's Microsoft Entra (AAD) object id, as Teams sends it in <c>from.aadObjectId</c>.</summary>
    public string? AadObjectId { get; set; }

    /// <summary>The user name on the local advisors' page.</summary>
    public string? LocalLogin { get; set; }

    /// <summary>The local password, hashed (PBKDF2 via ASP.NET Core's password hasher); null until set.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>SHA-256 of the one-time sign-in token, while one is outstanding.</summary>
    public string? SignInTokenHash { get; set; }

    public DateTimeOffset? SignInTokenExpiresAt { get; set; }

    /// <summary>The coordinator is told about escalations.</summary>
    public bool IsCoordinator { get; set; }

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Where ticket cards are posted: a Teams channel (learned from the installation or configured) or the local
/// advisors' page's Direct Line conversation. One row, key <see cref="Key"/>.
/// </summary>
public sealed class AdvisorChannel
{
    public const string Key = "advisors";

    public required string Id { get; set; }

    /// <summary>"msteams" or "directline" (the embedded channel).</summary>
    public required string ChannelId { get; set; }

    public required string ServiceUrl { get; set; }

    /// <summary>In Teams the channel's thread id (<c>19:…@thread.tacv2</c>); locally the Direct Line conversation id.</summary>
    public required string ConversationId { get; set; }

    public string? TenantId { get; set; }

    public string? TeamId { get; set; }

    /// <summary>Where the registration came from: configuration, installation or the local page.</summary>
    public required string Source { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>One line of a ticket's audit trail: who did what and when. No message text or contact details.</summary>
public sealed class TicketEvent
{
    public long Id { get; set; }

    public long TicketId { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>created, claimed, reassigned, resolved, replied, relayed, reminded, escalated, refused.</summary>
    public required string Action { get; set; }

    public long? AdvisorId { get; set; }

    /// <summary>Where the action came from: teams, advisors-page, company, sla.</summary>
    public required string Source { get; set; }

    /// <summary>A short detail such as the new organisation or the outcome.</summary>
    public string? Detail { get; set; }
}
