using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Tickets;

/// <summary>A limit on new tickets that stops a ticket from being made.</summary>
public enum TicketLimit
{
    /// <summary><see cref="TicketLimitOptions.TicketsPerClientPerHour"/>.</summary>
    ClientPerHour,

    /// <summary><see cref="TicketLimitOptions.TicketsPerEmailPerDay"/>.</summary>
    EmailPerDay,
}

/// <summary>
/// What the limits allow for a new ticket: none (Reached names the limit), or a ticket with or
/// without its confirmation email, flagged for the advisors or not.
/// </summary>
public sealed record TicketAllowance(TicketLimit? Reached, bool SendEmail, bool Flag)
{
    /// <summary>No ticket: <paramref name="limit"/> is reached.</summary>
    public static TicketAllowance Refused(TicketLimit limit) => new(limit, SendEmail: false, Flag: false);
}

/// <summary>
/// Checks a new ticket against <see cref="TicketLimitOptions"/>, counting what the database already holds: the
/// tickets from the same client address in the last hour and with the same email address in the last day, and
/// all confirmation emails of the last day. Run inside the ticket's transaction.
/// </summary>
public sealed class TicketLimitPolicy(IOptions<TicketLimitOptions> options)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>What a new ticket from <paramref name="clientKey"/> with <paramref name="email"/> (either may be unknown) is allowed.</summary>
    public async Task<TicketAllowance> CheckAsync(BotDbContext db, string? clientKey, string? email, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var limits = options.Value;
        if (clientKey is not null && await TicketsFromClientAsync(db, clientKey, now - Hour, cancellationToken) >= limits.TicketsPerClientPerHour)
        {
            return TicketAllowance.Refused(TicketLimit.ClientPerHour);
        }

        if (string.IsNullOrWhiteSpace(email))
        {
            return new TicketAllowance(Reached: null, SendEmail: false, Flag: false);
        }

        if (await TicketsWithEmailAsync(db, email, now - Day, cancellationToken) >= limits.TicketsPerEmailPerDay)
        {
            return TicketAllowance.Refused(TicketLimit.EmailPerDay);
        }

        var flag = await TicketsWithEmailAsync(db, email, now - limits.FlagWindow, cancellationToken) + 1 >= limits.FlagTicketsPerEmail;
        var send = await ConfirmationEmailsSinceAsync(db, now - Day, cancellationToken) < limits.ConfirmationEmailsPerDay;
        return new TicketAllowance(Reached: null, SendEmail: send, Flag: flag);
    }

    private static Task<int> TicketsFromClientAsync(BotDbContext db, string clientKey, DateTimeOffset since, CancellationToken cancellationToken) =>
        db.Tickets.CountAsync(t => t.ClientKey == clientKey && t.CreatedAt >= since, cancellationToken);

    private static Task<int> TicketsWithEmailAsync(BotDbContext db, string email, DateTimeOffset since, CancellationToken cancellationToken) =>
        db.Tickets.CountAsync(t => t.Email == email && t.CreatedAt >= since, cancellationToken);

    private static Task<int> ConfirmationEmailsSinceAsync(BotDbContext db, DateTimeOffset since, CancellationToken cancellationToken) =>
        db.Outbox.CountAsync(m => m.Kind == OutboxKinds.TicketEmail && m.IdempotencyKey.StartsWith(TicketEmail.IdempotencyPrefix) && m.CreatedAt >= since, cancellationToken);
}
