using System.ComponentModel.DataAnnotations;

namespace ExportCenter.Bot.Tickets;

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
