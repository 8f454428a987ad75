using System.Text.RegularExpressions;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>What kind of smalltalk a message is.</summary>
internal enum SmalltalkKind
{
    Greeting,
    Thanks,
    Goodbye,
    AreYouABot,
    MenuAsked,
}

/// <summary>
/// Replies that fit the moment: thanks, goodbye, "are you a bot?" (answered honestly, with the offer of a
/// person) and emoji-only messages get a short reply; the menu comes only with a greeting or when asked
/// for. Business questions that are not about export are pointed, in one sentence, to the public service
/// that handles them.
/// </summary>
internal static partial class ShortReplies
{
    /// <summary>Whether a message has no letters or digits (emoji, punctuation).</summary>
    public static bool IsEmojiOnly(string text) => text.Trim().Length > 0 && !text.Any(char.IsLetterOrDigit);

    public static SmalltalkKind Kind(string text)
    {
        var folded = " " + TextNormalizer.Fold(text) + " ";
        if (Bot().IsMatch(folded))
        {
            return SmalltalkKind.AreYouABot;
        }

        if (Menu().IsMatch(folded))
        {
            return SmalltalkKind.MenuAsked;
        }

        if (Goodbye().IsMatch(folded))
        {
            return SmalltalkKind.Goodbye;
        }

        if (Greeting().IsMatch(folded))
        {
            return SmalltalkKind.Greeting;
        }

        return Thanks().IsMatch(folded) ? SmalltalkKind.Thanks : SmalltalkKind.Greeting;
    }

    /// <summary>The reply to smalltalk; null for a greeting or a request for the menu (those get the menu).</summary>
    public static IMessageActivity? For(SmalltalkKind kind, ConversationLanguage language)
    {
        var swedish = language == ConversationLanguage.Swedish;
        switch (kind)
        {
            case SmalltalkKind.Thanks:
                return Replies.Text(swedish ? "Varsågod! Fråga gärna igen om du undrar något mer." : "You are welcome! Just ask if you have another question.", language);
            case SmalltalkKind.Goodbye:
                return Replies.Text(swedish ? "Hej då, och lycka till med exporten!" : "Goodbye, and good luck with your exports!", language);
            case SmalltalkKind.AreYouABot:
                var reply = Replies.Text(
                    swedish
                        ? "Ja, jag är en bot: exportcentrets automatiska assistent. Vill du hellre prata med en människa ordnar jag det, så hör en rådgivare av sig inom en arbetsdag."
                        : "Yes, I am a bot: the export centre's automated assistant. If you would rather talk to a person, I can arrange it, and an advisor will contact you within one working day.",
                    language);
                reply.SuggestedActions = new SuggestedActions
                {
                    Actions = [new CardAction { Type = ActionTypes.ImBack, Title = BotTexts.For(language).MenuAdvisor, Value = BotTexts.For(language).MenuAdvisor }],
                };
                return reply;
            default:
                return null;
        }
    }

    /// <summary>The short reply to an emoji-only message.</summary>
    public static IMessageActivity Emoji(ConversationLanguage language) => Replies.Text(
        language == ConversationLanguage.Swedish ? "🙂 Skriv gärna din exportfråga med egna ord, så hjälper jag dig vidare." : "🙂 Write your export question in your own words and I will help you on.",
        language);

    /// <summary>
    /// The public service for a business question that is not about export, in one sentence, or null:
    /// hiring (Arbetsförmedlingen), the annual report (Bolagsverket), tax returns and F-tax (Skatteverket),
    /// starting or running a business in general (Verksamt.se).
    /// </summary>
    public static string? Pointer(string text, ConversationLanguage language)
    {
        var folded = " " + TextNormalizer.Fold(text) + " ";
        var swedish = language == ConversationLanguage.Swedish;
        if (Hiring().IsMatch(folded))
        {
            return swedish ? "Om att anställa och rekrytera hjälper Arbetsförmedlingen till, på arbetsformedlingen.se." : "For hiring and recruiting staff, Arbetsförmedlingen (the Swedish Public Employment Service) helps, at arbetsformedlingen.se.";
        }

        if (AnnualReport().IsMatch(folded))
        {
            return swedish ? "Årsredovisningen lämnar du till Bolagsverket, och på bolagsverket.se finns hur det går till." : "The annual report goes to Bolagsverket (the Swedish Companies Registration Office); bolagsverket.se says how.";
        }

        if (Tax().IsMatch(folded))
        {
            return swedish ? "Frågor om deklaration, F-skatt och arbetsgivaravgifter svarar Skatteverket på, via skatteverket.se." : "Skatteverket (the Swedish Tax Agency) answers questions about tax returns, F-tax and employer contributions, at skatteverket.se.";
        }

        return BusinessInGeneral().IsMatch(folded)
            ? (swedish ? "Om att starta och driva företag i allmänhet finns samlad vägledning på verksamt.se." : "For starting and running a business in general, verksamt.se has the public guidance in one place.")
            : null;
    }

    [GeneratedRegex(@" (ar du (en )?(bot|robot|manniska|riktig)|are you (a )?(bot|robot|human|real)|is this a (bot|robot|human)|pratar jag med en (bot|robot|manniska)|am i talking to a (bot|robot|human)|er du en (bot|robot)|bist du ein (bot|roboter)|oletko (botti|robotti)) ", RegexOptions.CultureInvariant)]
    private static partial Regex Bot();

    [GeneratedRegex(@" (hej|hejsan|hallå|halla|tjena|tja|god morgon|godmorgon|goddag|hello|hi|hey|good (morning|afternoon|evening)|hei|moi|hallo|guten tag|hola|bonjour|dzien dobry) ", RegexOptions.CultureInvariant)]
    private static partial Regex Greeting();

    [GeneratedRegex(@" (meny|menyn|menu|vad kan du( hjalpa till med)?|what can you (do|help with)|visa alternativen|show (me )?the options) ", RegexOptions.CultureInvariant)]
    private static partial Regex Menu();

    [GeneratedRegex(@" (hej da|hejda|adjo|vi ses|ha det bra|ha en bra dag|trevlig helg|bye|goodbye|good bye|see you|have a nice (day|weekend)|farvel|tschuss|nakemiin|au revoir|adios) ", RegexOptions.CultureInvariant)]
    private static partial Regex Goodbye();

    [GeneratedRegex(@" (tack|tackar|tusen tack|thanks|thank you|thx|cheers|takk|tak|danke|kiitos|merci|gracias|dziekuje|bedankt) ", RegexOptions.CultureInvariant)]
    private static partial Regex Thanks();

    [GeneratedRegex(@" (anstalla|anstallning|rekrytera|rekrytering|nyanstallning|hire|hiring|recruit|recruiting|employ (a|someone|staff)) ", RegexOptions.CultureInvariant)]
    private static partial Regex Hiring();

    [GeneratedRegex(@" (arsredovisning|arsredovisningen|bokslut|annual report|annual accounts) ", RegexOptions.CultureInvariant)]
    private static partial Regex AnnualReport();

    [GeneratedRegex(@" (deklaration|deklarera|f skatt|fskatt|arbetsgivaravgift|arbetsgivaravgifter|tax return|f tax|employer contributions) ", RegexOptions.CultureInvariant)]
    private static partial Regex Tax();

    [GeneratedRegex(@" (starta (eget|foretag|ett foretag|aktiebolag)|registrera (foretag|firma)|leasa|leasing|hyra (en )?(skapbil|lokal|bil)|start a (business|company)|register a company|lease a van) ", RegexOptions.CultureInvariant)]
    private static partial Regex BusinessInGeneral();
}
