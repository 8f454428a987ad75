using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>The sentences of answers read in context: facet headings, why an option was chosen, who decides.</summary>
internal static class ContextTexts
{
    public static string FacetHeading(Facet facet, ConversationLanguage language) => (facet, language == ConversationLanguage.Swedish) switch
    {
        (Facet.Cost, true) => "Vad det kostar",
        (Facet.Time, true) => "Hur lång tid det tar",
        (Facet.Eligibility, true) => "Vem som kan få det",
        (Facet.Apply, true) => "Så ansöker du",
        (Facet.Documents, true) => "Vad du behöver",
        (Facet.Contact, true) => "Vem du kontaktar",
        (Facet.Cost, false) => "What it costs",
        (Facet.Time, false) => "How long it takes",
        (Facet.Eligibility, false) => "Who can get it",
        (Facet.Apply, false) => "How to apply",
        (Facet.Documents, false) => "What you need",
        _ => "Whom to contact",
    };

    /// <summary>When the knowledge base has no curated answer for the facet: who decides, and how to ask.</summary>
    public static string WhoDecides(string organisation, ConversationLanguage language) => language == ConversationLanguage.Swedish
        ? $"Det har vi inget färdigt svar på. Det är {organisation} som vet och beslutar, så fråga dem direkt."
        : $"We have no ready answer to that. {organisation} knows and decides, so ask them directly.";

    /// <summary>Why the card shows this option: what the company said.</summary>
    public static string Because(string reason, ConversationLanguage language)
    {
        var sentence = reason.Length > 0 ? char.ToUpperInvariant(reason[0]) + reason[1..] : reason;
        return language == ConversationLanguage.Swedish ? $"{sentence}, så:" : $"{sentence}, so:";
    }

    public static string CountryReason(string code, string? group, ConversationLanguage language)
    {
        var swedish = language == ConversationLanguage.Swedish;
        var name = Knowledge.Entities.CountryRecognizer.Name(code, swedish);
        return (group, swedish) switch
        {
            ("EU", true) => $"{name} ligger i EU",
            ("EEA", true) => $"{name} ligger utanför EU men i EES",
            (_, true) => $"{name} ligger utanför EU",
            ("EU", false) => $"{name} is in the EU",
            ("EEA", false) => $"{name} is outside the EU but in the EEA",
            _ => $"{name} is outside the EU",
        };
    }

    public static string ConsumerReason(ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? "Köparen är en privatperson" : "The buyer is a consumer";

    public static string BusinessReason(ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? "Köparen är ett företag" : "The buyer is a business";

    public static string YoungReason(ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? "Företaget är ungt" : "Your company is young";

    public static string EstablishedReason(ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? "Företaget är etablerat" : "Your company is established";

    public static string MoreAbout(ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? "Mer om det här" : "More about this";

    public static string OtherOptions(ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? "Gäller något annat för dig?" : "Is something else true for you?";
}
