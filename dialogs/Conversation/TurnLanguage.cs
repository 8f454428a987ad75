using ExportCenter.Dialogs.DialogLayer;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The language a turn answers in. It is chosen once, at the start of a message turn, remembered for the
/// conversation and kept in the turn state, so that the dialogs' callbacks (which see only the turn) answer
/// in it too.
/// </summary>
internal static class TurnLanguage
{
    private const string Key = "exportcenter.language";

    /// <summary>The languages answered in Swedish, which their writers read: Norwegian and Danish.</summary>
    private static readonly HashSet<string> ReadSwedish = new(StringComparer.Ordinal) { "sv", "nb", "nn", "da" };

    /// <summary>
    /// Chooses the language of a message turn: the one asked for ("in English", "på svenska"); outside a
    /// dialog, the language the message is written in when it can be told; otherwise as in
    /// <see cref="Resolve"/>.
    /// </summary>
    public static ConversationLanguage Choose(ITurnContext turn, ConversationData data, Interruption interruption, bool inDialog, ILanguageDetector detector)
    {
        var activity = turn.Activity;
        var language = interruption switch
        {
            Interruption.Swedish => Switch(data, ConversationLanguage.Swedish),
            Interruption.English => Switch(data, ConversationLanguage.English),
            // An answer to one of the dialog's questions (a name, "ja") says little about the language.
            _ => inDialog ? Resolve(activity, data) : Resolve(activity, data, Detect(activity.Text, data, detector)),
        };
        turn.TurnState[Key] = language;
        return language;
    }

    /// <summary>The language of the welcome: the one remembered, else the page's locale, else Swedish.</summary>
    public static ConversationLanguage ForWelcome(Activity activity, ConversationData data) => Resolve(activity, data);

    /// <summary>The language this turn answers in (set at the start of the turn).</summary>
    public static ConversationLanguage Of(ITurnContext turn) =>
        turn.TurnState.TryGetValue(Key, out var value) && value is ConversationLanguage language
            ? language
            : throw new InvalidOperationException("The turn's language is chosen at the start of a message turn, before any dialog runs.");

    /// <summary>Whether the writer's language is one the bot does not answer in (nor Norwegian or Danish, answered in Swedish).</summary>
    public static bool AnsweredInAnotherLanguage(string? writer) => writer is not null && writer != "en" && !ReadSwedish.Contains(writer);

    /// <summary>
    /// The language to answer in: the writer's when it can be told (Norwegian and Danish get Swedish, other
    /// languages English); otherwise the one remembered for the conversation; the page's locale only as the
    /// starting default; otherwise Swedish.
    /// </summary>
    private static ConversationLanguage Resolve(Activity activity, ConversationData data, string? detected = null)
    {
        ConversationLanguage language;
        if (detected is not null)
        {
            data.Writer = detected;
            language = ReadSwedish.Contains(detected) ? ConversationLanguage.Swedish : ConversationLanguage.English;
        }
        else
        {
            language = data.Language is null
                ? ConversationLanguages.FromLocale(activity.Locale)
                : ConversationLanguages.FromLocale(data.Language);
        }

        data.Language = language.ToIsoCode();
        return language;
    }

    private static ConversationLanguage Switch(ConversationData data, ConversationLanguage language)
    {
        data.Language = language.ToIsoCode();
        data.Writer = language.ToIsoCode();
        return language;
    }

    /// <summary>
    /// The writer's language, or null when the message cannot tell: no letters, or a single word ("No",
    /// "Ja", "OK", a name), which never switches the conversation. When Swedish and Norwegian or Danish score
    /// close (Swedish typed without å, ä and ö), the conversation's language is kept.
    /// </summary>
    private static string? Detect(string? text, ConversationData data, ILanguageDetector detector)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 2)
        {
            return null;
        }

        var guess = detector.Detect(text);
        if (guess.Code == LanguageGuess.Undetermined)
        {
            return null;
        }

        var current = data.Writer ?? data.Language;
        if (current is not null && ReadSwedish.Contains(current) && ReadSwedish.Contains(guess.Code) && guess.Code != current
            && guess.Score(current) >= guess.Scores[0].Value * 0.6)
        {
            return current;
        }

        return guess.Code;
    }
}
