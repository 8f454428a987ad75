namespace ExportCenter.Bot.Channels;

/// <summary>
/// Where ticket cards are posted: a Teams channel (learned from the installation or configured) or the local
/// advisors' page's Direct Line conversation. One row, key <see cref="Key"/>; a second row, key
/// <see cref="PendingKey"/>, holds a Teams installation that waits for a coordinator before it takes over.
/// </summary>
public sealed class AdvisorChannel
{
    public const string Key = "advisors";

    /// <summary>The row of a Teams installation that would move a working advisors' channel, until a coordinator confirms it.</summary>
    public const string PendingKey = "advisors-pending";

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
