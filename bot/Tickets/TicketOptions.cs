using System.ComponentModel.DataAnnotations;

namespace ExportCenter.Bot.Tickets;

/// <summary>Settings of handoff tickets (section "Tickets").</summary>
public sealed class TicketOptions
{
    public const string SectionName = "Tickets";

    /// <summary>How the promised contact time is counted.</summary>
    public DeadlineMode DeadlineMode { get; set; } = DeadlineMode.WorkingDays;

    /// <summary>The promised time to contact: one working day (write "1.00:00:00"; "24:00:00" would mean 24 days).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ResponseTime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The time zone deadlines are counted and shown in (IANA id).</summary>
    [Required]
    public string TimeZone { get; set; } = "Europe/Stockholm";
}

/// <summary>How the response time is counted.</summary>
public enum DeadlineMode
{
    /// <summary>Only hours of working days count: weekends and Swedish public holidays (with midsummer, Christmas and New Year's eve) do not.</summary>
    WorkingDays,

    /// <summary>Every hour counts.</summary>
    CalendarHours,
}
