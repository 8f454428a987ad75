using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using ExportCenter.Bot.Storage;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// The advisors' directory in the database: seeded from configuration, looked up by Teams AAD object id or
/// by local sign-in. Local passwords are stored hashed; a one-time sign-in link is stored as a SHA-256 hash.
/// </summary>
public sealed partial class AdvisorDirectory(
    IDbContextFactory<BotDbContext> dbFactory,
    IOptions<AdvisorOptions> options,
    KnowledgeBase knowledge,
    AdvisorSessions sessions,
    IPasswordHasher<Advisor> hasher,
    TimeProvider time,
    ILogger<AdvisorDirectory> logger)
{
    /// <summary>
    /// A hash no password matches, verified when the login is unknown or has no password, so the answer takes
    /// as long as a real check and does not tell whether the login exists.
    /// </summary>
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(new Advisor { Name = string.Empty, OrganisationId = string.Empty }, Convert.ToHexString(RandomNumberGenerator.GetBytes(32))));

    /// <summary>Adds or updates the configured advisors (matched by AAD object id, then by local login).</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var inactive = new List<Advisor>();
        foreach (var seed in options.Value.Directory)
        {
            if (!knowledge.OrganisationsById.ContainsKey(seed.OrganisationId))
            {
                throw new InvalidOperationException($"Advisors:Directory: '{seed.Name}' has the unknown organisation id '{seed.OrganisationId}'.");
            }

            var existing = seed.AadObjectId is not null
                ? await db.Advisors.SingleOrDefaultAsync(a => a.AadObjectId == seed.AadObjectId, cancellationToken)
                : null;
            if (existing is null && seed.LocalLogin is not null)
            {
                existing = await db.Advisors.SingleOrDefaultAsync(a => a.LocalLogin == seed.LocalLogin, cancellationToken);
            }

            if (existing is null)
            {
                existing = new Advisor { Name = seed.Name, OrganisationId = seed.OrganisationId, CreatedAt = time.GetUtcNow(), Active = true };
                db.Advisors.Add(existing);
            }

            existing.Name = seed.Name;
            existing.OrganisationId = seed.OrganisationId;
            existing.AadObjectId = seed.AadObjectId ?? existing.AadObjectId;
            existing.LocalLogin = seed.LocalLogin ?? existing.LocalLogin;
            existing.IsCoordinator = seed.IsCoordinator;
            // A deactivation (by command or an earlier "Active": false) holds until the entry says "Active": true.
            existing.Active = seed.Active ?? existing.Active;
            if (!existing.Active)
            {
                EndSignIns(existing);
                inactive.Add(existing);
            }
        }

        // Advisors come only from configuration: one taken out of it loses the rights (the row stays, for the audit
        // trail). The first local account, which no configuration names, stays while no local advisor is configured.
        var configuredAad = options.Value.Directory.Where(a => a.AadObjectId is not null).Select(a => a.AadObjectId!).ToList();
        var configuredLogins = options.Value.Directory.Where(a => a.LocalLogin is not null).Select(a => a.LocalLogin!).ToList();
        var removed = await db.Advisors
            .Where(a => a.Active && (a.AadObjectId != null
                ? !configuredAad.Contains(a.AadObjectId!)
                : a.LocalLogin != null && !configuredLogins.Contains(a.LocalLogin!) && (configuredLogins.Count > 0 || a.LocalLogin != options.Value.FirstLocalLogin)))
            .ToListAsync(cancellationToken);
        foreach (var advisor in removed)
        {
            advisor.Active = false;
            EndSignIns(advisor);
        }

        await db.SaveChangesAsync(cancellationToken);
        await sessions.EndAllAsync([.. inactive.Concat(removed).Select(a => a.Id)], cancellationToken);
    }

    /// <summary>
    /// <c>advisors deactivate LOGIN</c>: the local advisor can no longer sign in, and its page sessions end: the cookie
    /// and the page tokens stop at their next use, open streams at their next keep-alive (the channel checks the
    /// session on every request and at each keep-alive). Holds across restarts.
    /// </summary>
    public async Task<bool> DeactivateAsync(string login, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var advisor = await db.Advisors.SingleOrDefaultAsync(a => a.LocalLogin == login && a.Active, cancellationToken);
        if (advisor is null)
        {
            return false;
        }

        advisor.Active = false;
        EndSignIns(advisor);
        await db.SaveChangesAsync(cancellationToken);
        await sessions.EndAllAsync([advisor.Id], cancellationToken);
        return true;
    }

    /// <summary>A deactivated advisor keeps neither a password nor a pending sign-in link.</summary>
    private static void EndSignIns(Advisor advisor)
    {
        advisor.PasswordHash = null;
        advisor.SignInTokenHash = null;
        advisor.SignInTokenExpiresAt = null;
    }

    /// <summary>
    /// On a start where no local advisor can sign in yet (no password set), makes sure the first local
    /// account exists and issues a one-time sign-in link for it. Returns the login and token, or null.
    /// </summary>
    public async Task<(string Login, string Token)?> EnsureLocalSignInAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await db.Advisors.AnyAsync(a => a.LocalLogin != null && a.PasswordHash != null && a.Active, cancellationToken))
        {
            return null;
        }

        var o = options.Value;
        var advisor = await db.Advisors.FirstOrDefaultAsync(a => a.LocalLogin != null && a.Active, cancellationToken);
        if (advisor is null && await db.Advisors.AnyAsync(a => a.LocalLogin != null, cancellationToken))
        {
            // Every local advisor was deactivated on purpose: no start brings one back without "Active": true.
            return null;
        }

        if (advisor is null)
        {
            advisor = new Advisor { Name = o.FirstLocalName, OrganisationId = o.FirstLocalOrganisation, LocalLogin = o.FirstLocalLogin, IsCoordinator = true, CreatedAt = time.GetUtcNow() };
            db.Advisors.Add(advisor);
        }

        var token = IssueToken(advisor);
        await db.SaveChangesAsync(cancellationToken);
        return (advisor.LocalLogin!, token);
    }

    /// <summary>Issues a new one-time sign-in link token for a local login (the <c>advisors signin-link</c> command).</summary>
    public async Task<string?> IssueSignInTokenAsync(string login, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var advisor = await db.Advisors.SingleOrDefaultAsync(a => a.LocalLogin == login && a.Active, cancellationToken);
        if (advisor is null)
        {
            return null;
        }

        var token = IssueToken(advisor);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>
    /// Issues a one-time sign-in link token for a coordinator who works in Teams (found by Microsoft Entra object id), so
    /// that they can open the insight page; null unless that advisor is active and a coordinator.
    /// </summary>
    public async Task<string?> IssueTeamsCoordinatorSignInTokenAsync(string aadObjectId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var advisor = await db.Advisors.SingleOrDefaultAsync(a => a.AadObjectId == aadObjectId && a.Active && a.IsCoordinator, cancellationToken);
        if (advisor is null)
        {
            return null;
        }

        var token = IssueToken(advisor);
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>Redeems a one-time sign-in token: valid once, before it expires.</summary>
    public async Task<Advisor?> RedeemSignInTokenAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 128)
        {
            return null;
        }

        var hash = Hash(token);
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var advisor = await db.Advisors.SingleOrDefaultAsync(a => a.SignInTokenHash == hash && a.Active, cancellationToken);
        if (advisor is null || advisor.SignInTokenExpiresAt < now)
        {
            return null;
        }

        // Spend the token in a conditional update, so two redemptions cannot both succeed.
        var spent = await db.Advisors.Where(a => a.Id == advisor.Id && a.SignInTokenHash == hash)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.SignInTokenHash, (string?)null).SetProperty(a => a.SignInTokenExpiresAt, (DateTimeOffset?)null), cancellationToken);
        return spent == 1 ? advisor : null;
    }

    /// <summary>Checks a local login and password; an unknown login costs the same password check as a known one.</summary>
    public async Task<Advisor?> VerifyPasswordAsync(string? login, string? password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(login) || string.IsNullOrEmpty(password) || login.Length > 64 || password.Length > 256)
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var advisor = await db.Advisors.AsNoTracking().SingleOrDefaultAsync(a => a.LocalLogin == login && a.Active, cancellationToken);
        if (advisor?.PasswordHash is null)
        {
            hasher.VerifyHashedPassword(advisor ?? new Advisor { Name = string.Empty, OrganisationId = string.Empty }, _decoyHash.Value, password);
            return null;
        }

        return hasher.VerifyHashedPassword(advisor, advisor.PasswordHash, password) == PasswordVerificationResult.Failed ? null : advisor;
    }

    /// <summary>
    /// Sets a signed-in, active advisor's password (hashed) and ends every sign-in the advisor has, on every
    /// device; returns the advisor (to be signed in anew), or null.
    /// </summary>
    public async Task<Advisor?> SetPasswordAsync(long advisorId, string password, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var advisor = await db.Advisors.SingleOrDefaultAsync(a => a.Id == advisorId && a.Active, cancellationToken);
        if (advisor is null)
        {
            return null;
        }

        advisor.PasswordHash = hasher.HashPassword(advisor, password);
        await db.SaveChangesAsync(cancellationToken);
        await sessions.EndAllAsync([advisor.Id], cancellationToken);
        LogPasswordSet(logger, advisorId);
        return advisor;
    }

    public async Task<Advisor?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Advisors.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id && a.Active, cancellationToken);
    }

    public async Task<Advisor?> FindByAadObjectIdAsync(string? aadObjectId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(aadObjectId))
        {
            return null;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Advisors.AsNoTracking().SingleOrDefaultAsync(a => a.AadObjectId == aadObjectId && a.Active, cancellationToken);
    }

    private string IssueToken(Advisor advisor)
    {
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        advisor.SignInTokenHash = Hash(token);
        advisor.SignInTokenExpiresAt = time.GetUtcNow() + options.Value.SignInLinkLifetime;
        return token;
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    [LoggerMessage(EventId = 8501, Level = LogLevel.Information, Message = "Advisor {AdvisorId} set a new password.")]
    private static partial void LogPasswordSet(ILogger logger, long advisorId);
}
