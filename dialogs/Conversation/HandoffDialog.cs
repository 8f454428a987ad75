using System.Globalization;
using ExportCenter.Dialogs.DialogLayer;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The questions of the handoff: consent first; the details only with consent. A company or person name that
/// looks like a link or an address is not taken (<see cref="Answers.Name"/>).
/// </summary>
public static class HandoffDialog
{
    /// <summary>The dialog id.</summary>
    public const string Id = "handoff";

    /// <summary>The prompt steps over <see cref="HandoffState"/>.</summary>
    public static IReadOnlyList<IPromptStep<HandoffState>> Steps { get; } =
    [
        new PromptStep<HandoffState, bool>
        {
            Question = (l, _) => HandoffTexts.For(l).Consent,
            Hint = l => HandoffTexts.For(l).ConsentHint,
            Recognizer = Answers.YesNo,
            Store = (s, v) => s.Consent = v,
            Choices = l => [HandoffTexts.For(l).Yes, HandoffTexts.For(l).No],
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, s) => string.Format(CultureInfo.InvariantCulture, HandoffTexts.For(l).ConfirmCompany, s.SuggestedCompany),
            Hint = l => HandoffTexts.For(l).CompanyHint,
            Recognizer = (string text, out string value) =>
            {
                value = Answers.YesNo(text, out var yes) && TextNormalizer.Tokens(text).Length <= 2 ? (yes ? Confirmed : Rejected) : text.Trim();
                return value is Confirmed or Rejected || (value.Length is > 1 and <= 200 && !Answers.LooksLikeLinkOrAddress(value));
            },
            Store = (s, v) =>
            {
                if (v == Rejected)
                {
                    s.SuggestedCompany = null;
                }
                else
                {
                    s.Company = v == Confirmed ? s.SuggestedCompany : v;
                }
            },
            When = s => s.Consent == true && s.Company is null && s.SuggestedCompany is not null,
            Choices = l => [HandoffTexts.For(l).Yes, HandoffTexts.For(l).No],
            AfterRetries = (_, _, s) => (s.SuggestedCompany = null) is null,
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, _) => HandoffTexts.For(l).Company,
            Hint = l => HandoffTexts.For(l).CompanyHint,
            Recognizer = Answers.Name(200),
            Store = (s, v) => s.Company = v,
            When = s => s.Consent == true && s.Company is null,
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, _) => HandoffTexts.For(l).OrganisationNumber,
            Hint = l => HandoffTexts.For(l).OrganisationNumberHint,
            Recognizer = (string text, out string value) =>
            {
                value = string.Empty;
                return IsSkip(text) || Answers.OrganisationNumber(text, out value);
            },
            Store = (s, v) =>
            {
                s.OrganisationNumber = v.Length > 0 ? v : null;
                s.OrganisationNumberAnswered = true;
            },
            When = s => s.Consent == true && !s.OrganisationNumberAnswered,
            Choices = l => [HandoffTexts.For(l).Skip],
            AfterRetries = (_, _, s) => s.OrganisationNumberAnswered = true,
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, _) => HandoffTexts.For(l).ContactPerson,
            Hint = l => HandoffTexts.For(l).ContactPersonHint,
            Recognizer = Answers.Name(200),
            Store = (s, v) => s.ContactPerson = v,
            When = s => s.Consent == true && s.ContactPerson is null,
        },
        // What the company already wrote is offered back for confirmation rather than asked for again.
        new PromptStep<HandoffState, string>
        {
            Question = (l, s) => string.Format(CultureInfo.InvariantCulture, HandoffTexts.For(l).ConfirmContact, s.SuggestedContact),
            Hint = l => HandoffTexts.For(l).ContactHint,
            Recognizer = (string text, out string value) =>
            {
                value = Answers.Email(text, out var e) ? e : Answers.Phone(text, out var p) ? p : Answers.YesNo(text, out var yes) ? (yes ? Confirmed : Rejected) : string.Empty;
                return value.Length > 0;
            },
            Store = (s, v) =>
            {
                var chosen = v == Confirmed ? s.SuggestedContact! : v;
                if (v == Rejected)
                {
                    s.SuggestedContact = null;
                }
                else if (Answers.Email(chosen, out var email))
                {
                    s.Email = email;
                }
                else
                {
                    s.Phone = Answers.Phone(chosen, out var phone) ? phone : chosen;
                }
            },
            When = s => s.Consent == true && s.Email is null && s.Phone is null && s.SuggestedContact is not null,
            Choices = l => [HandoffTexts.For(l).Yes, HandoffTexts.For(l).No],
            AfterRetries = (_, _, s) => (s.SuggestedContact = null) is null,
        },
        new PromptStep<HandoffState, (string? Email, string? Phone)>
        {
            Question = (l, _) => HandoffTexts.For(l).Contact,
            Hint = l => HandoffTexts.For(l).ContactHint,
            Recognizer = (string text, out (string? Email, string? Phone) value) =>
            {
                var email = Answers.Email(text, out var e) ? e : null;
                var phone = Answers.Phone(text, out var p) ? p : null;
                value = (email, phone);
                return email is not null || phone is not null;
            },
            Store = (s, v) => (s.Email, s.Phone) = (v.Email, v.Phone),
            When = s => s.Consent == true && s.Email is null && s.Phone is null,
            // Kept as written for the advisor, who can also answer in the chat itself.
            AfterRetries = (text, _, s) => KeepAsWritten(text, 100, v => s.Phone = v),
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, s) => string.Format(CultureInfo.InvariantCulture, HandoffTexts.For(l).ConfirmMunicipality, s.SuggestedMunicipality),
            Hint = l => HandoffTexts.For(l).MunicipalityHint,
            Recognizer = (string text, out string value) =>
            {
                value = Answers.Municipality(text, out var m) ? m : Answers.YesNo(text, out var yes) ? (yes ? Confirmed : Rejected) : string.Empty;
                return value.Length > 0;
            },
            Store = (s, v) =>
            {
                if (v == Rejected)
                {
                    s.SuggestedMunicipality = null;
                }
                else
                {
                    s.Municipality = v == Confirmed ? s.SuggestedMunicipality : v;
                }
            },
            When = s => s.Consent == true && s.Municipality is null && s.SuggestedMunicipality is not null,
            Choices = l => [HandoffTexts.For(l).Yes, HandoffTexts.For(l).No],
            AfterRetries = (_, _, s) => (s.SuggestedMunicipality = null) is null,
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, _) => HandoffTexts.For(l).Municipality,
            Hint = l => HandoffTexts.For(l).MunicipalityHint,
            Recognizer = Answers.Municipality,
            Store = (s, v) => s.Municipality = v,
            When = s => s.Consent == true && s.Municipality is null,
            Choices = l => [HandoffTexts.For(l).OutsideDalarna],
            // A municipality the list does not know (a new name, a place outside Dalarna) is kept as written.
            AfterRetries = (text, _, s) => KeepAsWritten(text, 100, v => s.Municipality = v),
        },
        // The language the company has been writing in is offered as the one to be contacted in.
        new PromptStep<HandoffState, string>
        {
            Question = (l, _) => HandoffTexts.For(l).ConfirmLanguage,
            Hint = l => HandoffTexts.For(l).PreferredLanguageHint,
            Recognizer = (string text, out string value) =>
            {
                value = LanguageNamed(text) ?? (Answers.YesNo(text, out var yes) ? (yes ? Confirmed : Rejected) : string.Empty);
                return value.Length > 0;
            },
            Store = (s, v) => s.PreferredLanguage = v switch
            {
                Confirmed => s.SuggestedLanguage,
                Rejected => s.SuggestedLanguage == "sv" ? "en" : "sv",
                _ => v,
            },
            When = s => s.Consent == true && s.PreferredLanguage is null && s.SuggestedLanguage is "sv" or "en",
            AfterRetries = (_, _, s) => (s.PreferredLanguage = s.SuggestedLanguage) is not null,
            Choices = l => l == ConversationLanguage.Swedish ? ["Svenska", "Engelska"] : ["English", "Swedish"],
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, _) => HandoffTexts.For(l).PreferredLanguage,
            Hint = l => HandoffTexts.For(l).PreferredLanguageHint,
            Recognizer = (string text, out string value) =>
            {
                value = LanguageNamed(text) ?? string.Empty;
                return value.Length > 0;
            },
            Store = (s, v) => s.PreferredLanguage = v,
            When = s => s.Consent == true && s.PreferredLanguage is null,
            // Unclear after the retries: the conversation's own language.
            AfterRetries = (_, l, s) => (s.PreferredLanguage = l.ToIsoCode()) is not null,
            Choices = l => l == ConversationLanguage.Swedish ? ["Svenska", "Engelska"] : ["Swedish", "English"],
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, s) => string.Format(CultureInfo.InvariantCulture, HandoffTexts.For(l).Summary, s.Summary),
            Hint = l => HandoffTexts.For(l).SummaryHint,
            Recognizer = (string text, out string value) =>
            {
                value = text.Trim();
                return Answers.YesNo(text, out var yes) ? yes : value.Length >= 10;
            },
            Store = (s, v) =>
            {
                if (!Answers.YesNo(v, out _))
                {
                    s.Summary = v;
                }

                s.SummaryConfirmed = true;
            },
            When = s => s.Consent == true && !s.SummaryConfirmed && !string.IsNullOrWhiteSpace(s.Summary),
            AfterRetries = (_, _, s) => s.SummaryConfirmed = true,
        },
        new PromptStep<HandoffState, string>
        {
            Question = (l, _) => l == ConversationLanguage.Swedish ? "Beskriv kort din fråga till rådgivaren." : "Please describe your question for the advisor briefly.",
            Hint = l => HandoffTexts.For(l).SummaryHint,
            Recognizer = Answers.Text(2000),
            Store = (s, v) => (s.Summary, s.SummaryConfirmed) = (v, true),
            When = s => s.Consent == true && string.IsNullOrWhiteSpace(s.Summary),
        },
    ];

    // Markers for "yes" and "no" to an offered value (never valid answers themselves).
    private const string Confirmed = "\u0001confirmed";
    private const string Rejected = "\u0001rejected";

    /// <summary>"svenska", "Swedish", "engelska", "in English": the language named, as an ISO code; else null.</summary>
    private static string? LanguageNamed(string text)
    {
        var folded = string.Join(' ', TextNormalizer.Tokens(text));
        return folded.Contains("sv", StringComparison.Ordinal) ? "sv" : folded.Contains("eng", StringComparison.Ordinal) ? "en" : null;
    }

    private static bool IsSkip(string text)
    {
        var folded = string.Join(' ', TextNormalizer.Tokens(text));
        return folded is "hoppa over" or "skip" or "nej" or "no" or "vet inte" or "dont know" or "don t know" or "inget" or "none";
    }

    /// <summary>Keeps a free-text answer as the company wrote it (clipped); false for an empty answer.</summary>
    private static bool KeepAsWritten(string text, int max, Action<string> store)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        store(text.Length <= max ? text : text[..max]);
        return true;
    }
}
