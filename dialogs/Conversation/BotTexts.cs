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
    string MenuChosen,
    string ReplyReceived,
    string ReplyNoText,
    string TurnError)
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
        MenuChosen: "Du valde: {0}.",
        ReplyReceived: "Tack, jag har tagit emot din fråga: \"{0}\".",
        ReplyNoText: "Jag tog emot ditt meddelande, men det innehöll ingen text. Skriv gärna din fråga med egna ord.",
        TurnError: "Förlåt, något gick fel hos mig. Samtalet har startats om. Skriv din fråga igen, så försöker jag på nytt.");

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
        MenuChosen: "You chose: {0}.",
        ReplyReceived: "Thank you, I have received your question: \"{0}\".",
        ReplyNoText: "I received your message, but it had no text. Please type your question in your own words.",
        TurnError: "Sorry, something went wrong on my side. The conversation has been restarted. Please type your question again and I will try once more.");

    /// <summary>The texts for a language.</summary>
    public static BotTexts For(ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? Swedish : English;
}
