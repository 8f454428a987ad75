using System.ComponentModel.DataAnnotations;

namespace ExportCenter.Bot.Tickets;

/// <summary>
/// Limits on new tickets and their confirmation emails (section "Tickets:Limits"), so that the chat cannot be
/// used to send the region's email to any address in bulk. The counts are read from the database, so they
/// hold across instances and restarts.
/// </summary>
public sealed class TicketLimitOptions
{
    public const string SectionName = "Tickets:Limits";

    /// <summary>Tickets from one client address (an opaque key of it) in the last hour; more get no ticket.</summary>
    [Range(1, 10_000)]
    public int TicketsPerClientPerHour { get; set; } = 5;

    /// <summary>Tickets with one email address in the last 24 hours; more get no ticket.</summary>
    [Range(1, 10_000)]
    public int TicketsPerEmailPerDay { get; set; } = 5;

    /// <summary>Confirmation emails of new tickets, all addresses together, in the last 24 hours; beyond it tickets are made without one.</summary>
    [Range(1, 1_000_000)]
    public int ConfirmationEmailsPerDay { get; set; } = 500;

    /// <summary>
    /// The ticket that brings one email address to this many tickets within <see cref="FlagWindow"/> is flagged for
    /// the advisors (it is still made). Above <see cref="TicketsPerEmailPerDay"/> no ticket is ever flagged.
    /// </summary>
    [Range(2, 10_000)]
    public int FlagTicketsPerEmail { get; set; } = 3;

    /// <summary>The time within which <see cref="FlagTicketsPerEmail"/> tickets with one email address are flagged.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan FlagWindow { get; set; } = TimeSpan.FromHours(1);
}
