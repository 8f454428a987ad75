namespace ExportCenter.Dialogs.Conversation;

/// <summary>What the bot remembers about one conversation between turns (kept in conversation state).</summary>
public sealed class ConversationData
{
    /// <summary>The language the bot answers in, as an ISO 639-1 code ("sv" or "en"); null until first known.</summary>
    public string? Language { get; set; }

    /// <summary>The language the company writes in (ISO 639-1: "sv", "nb", "de", …); null until first told.</summary>
    public string? Writer { get; set; }

    /// <summary>Whether the company has been told, in its own language, that answers come in English or Swedish.</summary>
    public bool ToldAnswerLanguage { get; set; }

    /// <summary>Whether the welcome message has been sent, so it is never sent twice.</summary>
    public bool Welcomed { get; set; }

    /// <summary>The last question the company asked (prefills the handoff summary).</summary>
    public string? LastQuestion { get; set; }

    /// <summary>The topic of the last answer, if any.</summary>
    public string? LastTopic { get; set; }

    /// <summary>The facet of the last answer (cost, time, …), or null when it was the topic's answer itself.</summary>
    public string? LastFacet { get; set; }

    /// <summary>The organisation whose card the last answer was, so "how do I reach them?" means that organisation; else null.</summary>
    public string? LastOrganisation { get; set; }

    /// <summary>The classifier's confidence in that topic.</summary>
    public float LastConfidence { get; set; }

    /// <summary>The company's last few messages, for the advisor's transcript excerpt (deleted with the state).</summary>
    public List<string> RecentMessages { get; set; } = [];

    /// <summary>What the company has said about its case (country, goods or services, buyer, …).</summary>
    public ConversationFacts Facts { get; set; } = new();

    /// <summary>Set after an answer: the next yes or no is the answer to "did this help?".</summary>
    public bool AwaitingFeedback { get; set; }

    /// <summary>
    /// Whether <see cref="HandoffBegun"/> is kept for this conversation: true for every conversation begun since it
    /// was, false in a state saved before, whose conversation may have tickets that flag does not know of.
    /// </summary>
    public bool TracksHandoffs { get; set; }

    /// <summary>
    /// Set, and saved, when a handoff begins: a turn before any ticket of this conversation can be written. Until then
    /// the conversation has no ticket, so a company's message needs no look for a live ticket to relay it to.
    /// </summary>
    public bool HandoffBegun { get; set; }

    /// <summary>Whether a company's message may belong to a live ticket (and must be looked up before it is answered).</summary>
    public static bool MayHaveTicket(ConversationData? data) => data is not { TracksHandoffs: true, HandoffBegun: false };
}
