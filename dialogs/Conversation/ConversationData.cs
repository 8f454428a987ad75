namespace ExportCenter.Dialogs.Conversation;

/// <summary>What the bot remembers about one conversation between turns (kept in conversation state).</summary>
public sealed class ConversationData
{
    /// <summary>The conversation's language as an ISO 639-1 code ("sv" or "en"); null until first known.</summary>
    public string? Language { get; set; }

    /// <summary>Whether the welcome message has been sent, so it is never sent twice.</summary>
    public bool Welcomed { get; set; }
}
