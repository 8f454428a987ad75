using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Advisors;

/// <summary>Limits on password sign-ins to the advisors' page (section "Advisors:SignIn").</summary>
public sealed class SignInLimitOptions
{
    /// <summary>Failed attempts on one login within <see cref="Window"/> before it is locked.</summary>
    [Range(1, 1000)]
    public int FailuresPerLogin { get; set; } = 5;

    /// <summary>Failed attempts from one client address (any login) within <see cref="Window"/> before it is locked.</summary>
    [Range(1, 100_000)]
    public int FailuresPerAddress { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a locked login or address is refused, even with the right password.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Failed sign-ins of one login or one client address. The key is a keyed hash, so the table holds neither
/// logins nor addresses, and a login that does not exist is counted and locked exactly like one that does.
/// </summary>
public sealed class SignInThrottle
{
    /// <summary>"login:" or "address:" and the keyed hash.</summary>
    public required string Key { get; set; }

    public int Failures { get; set; }

    public DateTimeOffset WindowStartedAt { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    /// <summary>Guards against two instances counting the same attempt over each other.</summary>
    public int Version { get; set; }
}

/// <summary>
/// Counts failed password sign-ins per login and per client address, in the database so every instance
/// sees the same counts, and locks a login or an address for a while once it has too many.
/// </summary>
public sealed partial class SignInLimiter(
    IDbContextFactory<BotDbContext> dbFactory,
    ChannelKeyRing keys,
    ClientAddressKey addresses,
    IOptions<AdvisorOptions> options,
    TimeProvider time,
    ILogger<SignInLimiter> logger)
{
    private const int SaveAttempts = 4;

    /// <summary>The keys an attempt counts against: its login (as typed, case-insensitively) and its client address.</summary>
    public IReadOnlyList<string> KeysFor(string? login, IPAddress? address)
    {
        var result = new List<string>(2);
        if (!string.IsNullOrWhiteSpace(login))
        {
            var hash = HMACSHA256.HashData(keys.ClientAddressKey, Encoding.UTF8.GetBytes("login\n" + login.Trim().ToUpperInvariant()));
            result.Add("login:" + Convert.ToHexString(hash, 0, 16));
        }

        if (addresses.For(address) is { } client)
        {
            result.Add("address:" + client);
        }

        return result;
    }

    /// <summary>When the latest lock on any of the keys ends, or null when none is locked.</summary>
    public async Task<DateTimeOffset?> LockedUntilAsync(IReadOnlyList<string> throttleKeys, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var locks = await db.SignInThrottles.AsNoTracking()
            .Where(t => throttleKeys.Contains(t.Key) && t.LockedUntil != null)
            .Select(t => t.LockedUntil!.Value)
            .ToListAsync(cancellationToken);
        var until = locks.Where(l => l > now).DefaultIfEmpty().Max();
        return until == default ? null : until;
    }

    /// <summary>Counts a failed attempt against every key; a key that reaches its limit is locked.</summary>
    public async Task RecordFailureAsync(IReadOnlyList<string> throttleKeys, CancellationToken cancellationToken)
    {
        var limits = options.Value.SignIn;
        foreach (var key in throttleKeys)
        {
            var max = key.StartsWith("login:", StringComparison.Ordinal) ? limits.FailuresPerLogin : limits.FailuresPerAddress;
            if (await CountAsync(key, max, limits, cancellationToken))
            {
                LogLocked(logger, key.StartsWith("login:", StringComparison.Ordinal) ? "login" : "address", limits.Lockout);
            }
        }
    }

    /// <summary>A successful sign-in clears the login's count (never the address's: one valid account must not reset it).</summary>
    public async Task RecordSuccessAsync(IReadOnlyList<string> throttleKeys, CancellationToken cancellationToken)
    {
        var logins = throttleKeys.Where(k => k.StartsWith("login:", StringComparison.Ordinal)).ToList();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.SignInThrottles.Where(t => logins.Contains(t.Key)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Adds one failure to a key; true when this failure locked it.</summary>
    private async Task<bool> CountAsync(string key, int max, SignInLimitOptions limits, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var now = time.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var row = await db.SignInThrottles.SingleOrDefaultAsync(t => t.Key == key, cancellationToken);
            if (row is null)
            {
                row = new SignInThrottle { Key = key, WindowStartedAt = now };
                db.SignInThrottles.Add(row);
            }
            else if (row.WindowStartedAt + limits.Window <= now)
            {
                row.Failures = 0;
                row.WindowStartedAt = now;
            }

            row.Failures++;
            row.Version++;
            var locks = row.Failures >= max;
            if (locks)
            {
                row.LockedUntil = now + limits.Lockout;
                row.Failures = 0;
                row.WindowStartedAt = now;
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return locks;
            }
            catch (DbUpdateException) when (attempt < SaveAttempts)
            {
                // Another request counted the same key at the same moment (or created its row first): count again.
            }
        }
    }

    [LoggerMessage(EventId = 8503, Level = LogLevel.Warning, Message = "Too many failed sign-ins on the advisors' page: one {Kind} is locked for {Lockout}.")]
    private static partial void LogLocked(ILogger logger, string kind, TimeSpan lockout);
}
