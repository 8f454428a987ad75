using ExportCenter.Dialogs.Cards;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// One sentence, in the company's own language, that answers come in English or Swedish and that an
/// advisor can be asked for. Sent once per conversation to those who write in a language the bot does not
/// answer in. It is a card so that it carries its language (and, for Arabic, right-to-left text) for
/// screen readers.
/// </summary>
internal static class AnswerLanguageNotice
{
    private static readonly Dictionary<string, string> Sentences = new(StringComparer.Ordinal)
    {
        ["fi"] = "Vastaamme englanniksi tai ruotsiksi. Voit myös pyytää, että neuvoja ottaa sinuun yhteyttä.",
        ["de"] = "Wir antworten auf Englisch oder Schwedisch. Sie können auch um ein Gespräch mit einer Beraterin oder einem Berater bitten.",
        ["nl"] = "We antwoorden in het Engels of het Zweeds. U kunt ook vragen om contact met een adviseur.",
        ["pl"] = "Odpowiadamy po angielsku lub po szwedzku. Możesz też poprosić o kontakt z doradcą.",
        ["ar"] = "نجيب باللغة الإنجليزية أو السويدية. ويمكنك أيضًا أن تطلب التحدث مع مستشار.",
        ["es"] = "Respondemos en inglés o en sueco. También puede pedir que le contacte un asesor.",
        ["fr"] = "Nous répondons en anglais ou en suédois. Vous pouvez aussi demander à parler à un conseiller.",
    };

    /// <summary>The languages the notice is written in.</summary>
    public static IEnumerable<string> Languages => Sentences.Keys;

    /// <summary>Sends the notice once, when the company writes in one of <see cref="Languages"/>.</summary>
    public static async Task SendOnceAsync(ITurnContext turn, ConversationData data, CancellationToken cancellationToken)
    {
        if (data.ToldAnswerLanguage || data.Writer is null || !Sentences.TryGetValue(data.Writer, out var sentence))
        {
            return;
        }

        var card = new AdaptiveCard { Lang = data.Writer, Rtl = data.Writer == "ar" }.AddText(sentence);
        var reply = MessageFactory.Attachment(new Attachment { ContentType = AdaptiveCard.ContentType, Content = card.ToContent() });
        reply.Locale = data.Writer;
        await turn.SendActivityAsync(reply, cancellationToken);
        data.ToldAnswerLanguage = true;
    }
}
