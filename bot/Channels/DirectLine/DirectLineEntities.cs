namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>A conversation of the embedded Direct Line channel, bound to one user id.</summary>
public sealed class DirectLineConversation
{
    public required string Id { get; set; }

    /// <summary>The channel's id for the visitor (random, no personal data).</summary>
    public required string UserId { get; set; }

    /// <summary>Locale the client asked for when the conversation started.</summary>
    public string? Locale { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastActivityAt { get; set; }

    /// <summary>Set once the client has started the conversation (the bot has been told).</summary>
    public bool Started { get; set; }

    /// <summary>The last watermark handed out; every stored or updated activity takes the next one.</summary>
    public long LastSequence { get; set; }
}

/// <summary>
/// One activity in a conversation's history, as the channel delivers it to clients. An update replaces
/// the JSON and moves the activity to a new sequence number, so clients polling from their watermark
/// receive it again and Web Chat replaces the old one by id.
/// </summary>
public sealed class DirectLineActivity
{
    public long Id { get; set; }

    public required string ConversationId { get; set; }

    public long Sequence { get; set; }

    public required string ActivityId { get; set; }

    public required string Type { get; set; }

    public required string Json { get; set; }

    /// <summary>When the activity was first stored; an update keeps it.</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>
    /// What the bot said the activity belongs to, as an opaque key (on the advisors' page: the number of the
    /// ticket a card or thread line is about), so that retention deletes the activity with it. Null for
    /// everything else. Never sent to clients.
    /// </summary>
    public string? RetainWith { get; set; }
}
