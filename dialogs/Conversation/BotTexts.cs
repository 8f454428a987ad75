using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// Every sentence the bot says, in Swedish and English. Kept in one place so that both languages
/// stay in step and a reviewer can read them side by side.
/// </summary>
public sealed record BotTexts(
    string CentreName,
    string WelcomeHeading,
    string WelcomeIntro,
    string WelcomeMenuPrompt,
    string WelcomeFootnote,
    string MenuGettingStarted,
    string MenuFinance,
    string MenuCustomsAndVat,
    string MenuAdvisor,
    string ReplyNoText,
    string TurnError,
    string WhoCanHelp,
    string NotBindingNote,
    string ClarifyIntro,
    string ClarifyOthers,
    string SmalltalkReply,
    string OutOfScopeReply,
    string Cancelled,
    string Help,
    string SwitchedLanguage,
    string StatusNone,
    string StatusLine,
    string StatusOpen,
    string StatusClaimed,
    string StatusResolved,
    string DidThisHelp,
    string SomethingElse,
    string GladItHelped,
    string PrivacyLink)
{
    /// <summary>Swedish texts.</summary>
    public static BotTexts Swedish { get; } = new(
        CentreName: "Exportcentrum Dalarna",
        WelcomeHeading: "Välkommen till Exportcentrum Dalarna",
        WelcomeIntro: "Jag är exportcentrets automatiserade assistent. Jag hjälper ditt företag att hitta rätt organisation och rätt person för din exportfråga: en dörr in till Region Dalarna, Almi, Business Sweden, EKN, Enterprise Europe Network, handelskammaren och de andra.",
        WelcomeMenuPrompt: "Vad gäller din fråga? Välj nedan eller skriv med egna ord.",
        WelcomeFootnote: "Behöver du en människa lovar vi kontakt med rätt rådgivare inom en arbetsdag.",
        MenuGettingStarted: "Komma igång med export",
        MenuFinance: "Finansiering och betalningsrisk",
        MenuCustomsAndVat: "Tull, moms och exportdokument",
        MenuAdvisor: "Prata med en rådgivare",
        ReplyNoText: "Jag tog emot ditt meddelande, men det innehöll ingen text. Skriv gärna din fråga med egna ord.",
        TurnError: "Förlåt, något gick fel hos mig. Samtalet har startats om. Skriv din fråga igen, så försöker jag på nytt.",
        WhoCanHelp: "Vem kan hjälpa dig",
        NotBindingNote: "Svaret är allmän vägledning, inget bindande besked. Det är organisationerna ovan som avgör i ditt fall.",
        ClarifyIntro: "Jag är inte helt säker på vad du menar, men det här ligger närmast:",
        ClarifyOthers: "Menade du något av detta?",
        SmalltalkReply: "Hej! Jag är exportcentrets automatiserade assistent. Ställ din exportfråga med egna ord eller välj i menyn.",
        OutOfScopeReply: "Det kan jag tyvärr inte hjälpa till med. Jag svarar på frågor om export och internationella affärer, till exempel finansiering, tull, moms, exportdokument och att hitta kunder utomlands.",
        Cancelled: "Okej, jag har avbrutit. Ställ en ny fråga när du vill.",
        Help: "Skriv din exportfråga med egna ord så visar jag vem som kan hjälpa dig. Du kan när som helst skriva \"avbryt\", \"börja om\", \"prata med en människa\" eller \"in English\".",
        SwitchedLanguage: "Nu fortsätter vi på svenska.",
        StatusNone: "Jag hittar inget ärende i det här samtalet. Vill du att en rådgivare kontaktar dig, skriv \"prata med en människa\".",
        StatusLine: "Ärende {0}: {1}. {2} kontaktar dig {3}.",
        StatusOpen: "mottaget, väntar på en rådgivare",
        StatusClaimed: "en rådgivare har ärendet",
        StatusResolved: "avslutat",
        DidThisHelp: "Hjälpte det här?",
        SomethingElse: "Något annat – prata med en människa",
        GladItHelped: "Vad bra! Fråga gärna mer om du undrar något.",
        PrivacyLink: "Så hanterar vi dina uppgifter");

    /// <summary>English texts.</summary>
    public static BotTexts English { get; } = new(
        CentreName: "Dalarna Regional Export Centre",
        WelcomeHeading: "Welcome to the Dalarna Regional Export Centre",
        WelcomeIntro: "I am the export centre's automated assistant. I help your company find the right organisation and the right person for your export question: one door in to Region Dalarna, Almi, Business Sweden, EKN, Enterprise Europe Network, the chamber of commerce and the others.",
        WelcomeMenuPrompt: "What is your question about? Choose below or type it in your own words.",
        WelcomeFootnote: "If you need a person, we promise contact with the right advisor within one working day.",
        MenuGettingStarted: "Getting started with exports",
        MenuFinance: "Finance and payment risk",
        MenuCustomsAndVat: "Customs, VAT and export documents",
        MenuAdvisor: "Talk to an advisor",
        ReplyNoText: "I received your message, but it had no text. Please type your question in your own words.",
        TurnError: "Sorry, something went wrong on my side. The conversation has been restarted. Please type your question again and I will try once more.",
        WhoCanHelp: "Who can help you",
        NotBindingNote: "This is general guidance, not a binding decision. The organisations above decide in your case.",
        ClarifyIntro: "I am not quite sure what you mean, but this is the closest match:",
        ClarifyOthers: "Did you mean one of these?",
        SmalltalkReply: "Hello! I am the export centre's automated assistant. Ask your export question in your own words or choose from the menu.",
        OutOfScopeReply: "I am afraid I cannot help with that. I answer questions about exporting and international business, such as finance, customs, VAT, export documents and finding customers abroad.",
        Cancelled: "All right, I have cancelled that. Ask a new question whenever you like.",
        Help: "Type your export question in your own words and I will show you who can help. At any time you can type \"cancel\", \"start over\", \"talk to a person\" or \"på svenska\".",
        SwitchedLanguage: "We will continue in English.",
        StatusNone: "I cannot find a case in this conversation. If you would like an advisor to contact you, type \"talk to a person\".",
        StatusLine: "Case {0}: {1}. {2} will contact you {3}.",
        StatusOpen: "received, waiting for an advisor",
        StatusClaimed: "an advisor has your case",
        StatusResolved: "closed",
        DidThisHelp: "Did this help?",
        SomethingElse: "Something else – talk to a person",
        GladItHelped: "Good! Feel free to ask more if you wonder about anything.",
        PrivacyLink: "How we handle your data");

    /// <summary>The texts for a language.</summary>
    public static BotTexts For(ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? Swedish : English;
}
