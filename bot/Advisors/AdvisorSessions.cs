using System.Buffers.Text;
using System.Security.Cryptography;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// One sign-in on the advisors' page. The cookie and every Direct Line token issued to the page carry its id,
/// so signing out, a new password or a deactivation ends the cookie, the tokens and the open streams together.
/// </summary>
public sealed class AdvisorPageSession
{
    /// <summary>A random id (128 bits, base64url); it grants nothing alone, the cookie and tokens are signed.</summary>
    public required string Id { get; set; }

    public long AdvisorId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The sign-in's end at the latest (<see cref="AdvisorOptions.SessionLifetime"/> after it began).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When it was ended early: sign-out, a new password, or deactivation.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>
/// Starts, checks and ends advisors' page sessions. A session is live while it has not ended, has not expired
/// and its advisor is active; the channel asks on every token refresh, post, poll and stream connect, and an
/// open stream asks again at each keep-alive. An end made here is signalled to the session's open streams, on every
/// instance of a PostgreSQL database, and closes them at once; one the signal does not reach (the deactivate
/// command, which runs in its own process and serves no streams) closes them within one keep-alive interval.
/// </summary>
public sealed partial class AdvisorSessions(
    IDbContextFactory<BotDbContext> dbFactory,
    IOptions<AdvisorOptions> options,
    IDirectLineStreamSignals streams,
    TimeProvider time,
    ILogger<AdvisorSessions> logger) : IDirectLineActorCheck
{
    /// <summary>Starts a session for the advisor; returns it (its id goes into the cookie).</summary>
    public async Task<AdvisorPageSession> StartAsync(long advisorId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = new AdvisorPageSession
        {
            Id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            AdvisorId = advisorId,
            CreatedAt = now,
            ExpiresAt = now + options.Value.SessionLifetime,
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);

        // Sessions past their end are of no use to anyone: each sign-in clears them away.
        await db.AdvisorSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        db.AdvisorSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return session;
    }

    /// <summary>The live session with this id for this advisor, or null.</summary>
    public async Task<AdvisorPageSession?> FindLiveAsync(string? sessionId, long advisorId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId) || sessionId.Length > 32)
        {
            return null;
        }

        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AdvisorSessions.AsNoTracking()
            .Where(s => s.Id == sessionId && s.AdvisorId == advisorId && s.EndedAt == null && s.ExpiresAt > now)
            .Where(s => db.Advisors.Any(a => a.Id == s.AdvisorId && a.Active))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>When the live session of a Direct Line actor ("advisor:{id}") ends, or null when it is not live.</summary>
    public async Task<DateTimeOffset?> SessionEndsAsync(string actor, string? session, CancellationToken cancellationToken) =>
        LocalAdvisorId.TryParse(actor, out var advisorId) && await FindLiveAsync(session, advisorId, cancellationToken) is { } live ? live.ExpiresAt : null;

    /// <summary>Ends one session (sign-out) and closes its open streams.</summary>
    public async Task EndAsync(string? sessionId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(sessionId))
        {
            return;
        }

        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.AdvisorSessions.Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
        streams.EndSession(sessionId);
    }

    /// <summary>Ends every session of the advisors (a new password, a deactivation) and closes their streams.</summary>
    public async Task<int> EndAllAsync(IReadOnlyCollection<long> advisorIds, CancellationToken cancellationToken)
    {
        if (advisorIds.Count == 0)
        {
            return 0;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ended = await EndAllAsync(db, advisorIds, time.GetUtcNow(), cancellationToken);
        foreach (var id in ended)
        {
            streams.EndSession(id);
        }

        if (ended.Count > 0)
        {
            LogSessionsEnded(logger, ended.Count);
        }

        return ended.Count;
    }

    /// <summary>Ends the advisors' live sessions in <paramref name="db"/>; returns their ids.</summary>
    internal static async Task<List<string>> EndAllAsync(BotDbContext db, IReadOnlyCollection<long> advisorIds, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await db.AdvisorSessions.Where(s => advisorIds.Contains(s.AdvisorId) && s.EndedAt == null).Select(s => s.Id).ToListAsync(cancellationToken);
        if (ids.Count > 0)
        {
            await db.AdvisorSessions.Where(s => ids.Contains(s.Id)).ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now), cancellationToken);
        }

        return ids;
    }

    [LoggerMessage(EventId = 8502, Level = LogLevel.Information, Message = "{Count} advisors' page sessions were ended.")]
    private static partial void LogSessionsEnded(ILogger logger, int count);
}
