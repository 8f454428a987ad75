using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>What the handoff dialog says, in Swedish and English.</summary>
public sealed record HandoffTexts(
    string Consent,
    string ConsentHint,
    string Company,
    string CompanyHint,
    string OrganisationNumber,
    string OrganisationNumberHint,
    string ContactPerson,
    string ContactPersonHint,
    string Contact,
    string ContactHint,
    string ConfirmContact,
    string ConfirmMunicipality,
    string Municipality,
    string MunicipalityHint,
    string PreferredLanguage,
    string PreferredLanguageHint,
    string Summary,
    string SummaryHint,
    string NoConsent,
    string GiveUp,
    string Confirmation,
    string NotSaved,
    string Yes,
    string No,
    string Skip,
    string OutsideDalarna)
{
    /// <summary>Swedish.</summary>
    public static HandoffTexts Swedish { get; } = new(
        Consent: "Jag kan be en rådgivare kontakta dig inom en arbetsdag. Då sparar exportcentret ditt företags namn och dina kontaktuppgifter, bara för att kunna kontakta dig om den här frågan, och raderar dem när ärendet har varit avslutat i 90 dagar. Är det okej?",
        ConsentHint: "Svara ja eller nej.",
        Company: "Vad heter företaget?",
        CompanyHint: "Skriv företagets namn.",
        OrganisationNumber: "Vilket är företagets organisationsnummer? Skriv \"hoppa över\" om du inte vill uppge det.",
        OrganisationNumberHint: "Numret stämmer inte (tio siffror, till exempel 556036-0793).",
        ContactPerson: "Vem ska rådgivaren kontakta? Skriv ditt namn.",
        ContactPersonHint: "Skriv namnet på den som ska kontaktas.",
        Contact: "Vilken e-postadress eller vilket telefonnummer når vi dig på?",
        ContactHint: "Det ser inte ut som en e-postadress eller ett telefonnummer.",
        ConfirmContact: "Ska rådgivaren kontakta dig på {0}? Svara ja, eller skriv en annan e-postadress eller ett annat telefonnummer.",
        ConfirmMunicipality: "Finns företaget i {0}? Svara ja, eller skriv kommunen.",
        Municipality: "I vilken kommun finns företaget? Skriv \"utanför Dalarna\" om det inte finns i Dalarna.",
        MunicipalityHint: "Jag känner inte igen kommunen.",
        PreferredLanguage: "Vill du bli kontaktad på svenska eller engelska?",
        PreferredLanguageHint: "Välj svenska eller engelska.",
        Summary: "Så här sammanfattar jag din fråga till rådgivaren: \"{0}\". Stämmer det? Svara ja, eller skriv frågan med egna ord.",
        SummaryHint: "Svara ja, eller skriv frågan med några fler ord.",
        NoConsent: "Då sparar jag inga uppgifter. Du kan kontakta organisationerna direkt:",
        GiveUp: "Jag lyckades inte läsa svaret. Du kan också kontakta organisationerna direkt:",
        Confirmation: "Tack! Ditt ärende har nummer {0}. {1} kontaktar dig {2}.",
        NotSaved: "Förlåt, ärendet kunde inte sparas just nu. Försök igen om en stund, eller kontakta organisationerna direkt.",
        Yes: "Ja",
        No: "Nej",
        Skip: "Hoppa över",
        OutsideDalarna: "Utanför Dalarna");

    /// <summary>English.</summary>
    public static HandoffTexts English { get; } = new(
        Consent: "I can ask an advisor to contact you within one working day. The export centre then stores your company's name and your contact details, only to contact you about this question, and deletes them 90 days after the case is closed. Is that all right?",
        ConsentHint: "Please answer yes or no.",
        Company: "What is the company's name?",
        CompanyHint: "Please type the company's name.",
        OrganisationNumber: "What is the company's Swedish organisation number? Type \"skip\" if you prefer not to give it.",
        OrganisationNumberHint: "That number is not valid (ten digits, for example 556036-0793).",
        ContactPerson: "Who should the advisor contact? Please type your name.",
        ContactPersonHint: "Please type the name of the person to contact.",
        Contact: "Which email address or phone number can we reach you at?",
        ContactHint: "That does not look like an email address or a phone number.",
        ConfirmContact: "Should the advisor contact you at {0}? Answer yes, or type another email address or phone number.",
        ConfirmMunicipality: "Is the company in {0}? Answer yes, or type the municipality.",
        Municipality: "In which municipality is the company? Type \"outside Dalarna\" if it is not in Dalarna.",
        MunicipalityHint: "I do not recognise that municipality.",
        PreferredLanguage: "Would you like to be contacted in Swedish or English?",
        PreferredLanguageHint: "Please choose Swedish or English.",
        Summary: "This is how I would summarise your question for the advisor: \"{0}\". Is that right? Answer yes, or type the question in your own words.",
        SummaryHint: "Answer yes, or type the question in a few more words.",
        NoConsent: "Then I will not store anything. You can contact the organisations directly:",
        GiveUp: "I could not read the answer. You can also contact the organisations directly:",
        Confirmation: "Thank you! Your case number is {0}. {1} will contact you {2}.",
        NotSaved: "Sorry, the case could not be saved just now. Please try again in a moment, or contact the organisations directly.",
        Yes: "Yes",
        No: "No",
        Skip: "Skip",
        OutsideDalarna: "Outside Dalarna");

    /// <summary>The texts in a language.</summary>
    public static HandoffTexts For(ConversationLanguage language) => language == ConversationLanguage.Swedish ? Swedish : English;
}
