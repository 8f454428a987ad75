namespace ExportCenter.Bot.Privacy;

/// <summary>
/// A company's request in the chat to see or erase what is kept about it. It names only the conversation (the coordinators
/// find the rest with <c>privacy export --conversation</c>); it goes with the conversation's erasure.
/// </summary>
public sealed class PrivacyRequest
{
    public long Id { get; set; }

    /// <summary>PR-yyyy-nnnnn-style reference the company is told: "PR-" and the id.</summary>
    public string Reference => "PR-" + Id.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>access (what do you keep?) or erasure (delete my data).</summary>
    public required string Kind { get; set; }

    public required string ChannelId { get; set; }

    public required string ConversationId { get; set; }

    public required string Language { get; set; }

    /// <summary>When a coordinator's <c>privacy export</c> answered it (an erasure deletes the request itself).</summary>
    public DateTimeOffset? HandledAt { get; set; }
}

/// <summary>That an erasure was done, and how much it removed: no address, number, conversation or ticket.</summary>
public sealed class PrivacyErasure
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>What the coordinator erased by: email, orgnr or conversation.</summary>
    public required string By { get; set; }

    public int Tickets { get; set; }

    public int Conversations { get; set; }

    /// <summary>Every row deleted or rewritten, all tables together.</summary>
    public int Rows { get; set; }

    /// <summary>Email files deleted from the pickup folder.</summary>
    public int Files { get; set; }
}
