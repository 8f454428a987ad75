namespace ExportCenter.Dialogs.Conversation;

/// <summary>What the handoff dialog collects (its typed state), with the company's consent.</summary>
public sealed class HandoffState
{
    /// <summary>
    /// The handoff's idempotency key, made when the handoff begins and saved with the dialog state in that turn, a turn
    /// earlier than the one that writes the ticket. A turn repeated after a crash (the ticket committed, the state holding
    /// the answer lost) hands the ticket system the same key, which answers with the ticket already written. Null only
    /// in a handoff begun before the key existed.
    /// </summary>
    public string? HandoffKey { get; set; }

    /// <summary>Consent to store the contact details for this purpose; null until asked.</summary>
    public bool? Consent { get; set; }

    public string? Company { get; set; }

    /// <summary>Whether the organisation number question has been answered (it may be skipped).</summary>
    public bool OrganisationNumberAnswered { get; set; }

    public string? OrganisationNumber { get; set; }

    public string? ContactPerson { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public string? Municipality { get; set; }

    /// <summary>"sv" or "en".</summary>
    public string? PreferredLanguage { get; set; }

    /// <summary>The question as the advisor will read it; prefilled from the conversation.</summary>
    public string? Summary { get; set; }

    public bool SummaryConfirmed { get; set; }

    /// <summary>An email or phone number the company already wrote; offered back for confirmation.</summary>
    public string? SuggestedContact { get; set; }

    /// <summary>A company name the company already wrote ("… AB"); offered back for confirmation.</summary>
    public string? SuggestedCompany { get; set; }

    /// <summary>The language the company writes in, when Swedish or English; offered back as the language to be contacted in.</summary>
    public string? SuggestedLanguage { get; set; }

    /// <summary>A municipality the company already named; offered back for confirmation.</summary>
    public string? SuggestedMunicipality { get; set; }

    /// <summary>The topic the question is about, if evident.</summary>
    public string? TopicId { get; set; }

    /// <summary>The classifier's confidence in that topic.</summary>
    public float Confidence { get; set; }
}
