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

/// <summary>How an advisor appears at the ticket desk.</summary>
public static class AdvisorActing
{
    /// <summary>The advisor as the one who acts on a ticket, from <paramref name="source"/>.</summary>
    public static Tickets.TicketActor Acting(this Advisor advisor, Tickets.TicketSource source)
    {
        ArgumentNullException.ThrowIfNull(advisor);
        return new Tickets.TicketActor(advisor.Id, advisor.Name, advisor.OrganisationId, source);
    }
}
