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

    /// <summary>
    /// Chooses the language of a message turn: the one asked for ("in English", "på svenska"); outside a
    /// dialog, the language the message is written in when it can be told; otherwise as in
    /// <see cref="Resolve"/>.
    /// </summary>
    public static ConversationLanguage Choose(ITurnContext turn, ConversationData data, Interruption interruption, bool inDialog)
    {
        var activity = turn.Activity;
        var language = interruption switch
        {
            Interruption.Swedish => Switch(data, ConversationLanguage.Swedish),
            Interruption.English => Switch(data, ConversationLanguage.English),
            // An answer to one of the dialog's questions (a name, "ja") says little about the language.
            _ => inDialog ? Resolve(activity, data) : Resolve(activity, data, Detect(activity.Text)),
        };
        turn.TurnState[Key] = language;
        return language;
    }

    /// <summary>The language of the welcome: the activity's locale, else the one remembered, else Swedish.</summary>
    public static ConversationLanguage ForWelcome(Activity activity, ConversationData data) => Resolve(activity, data);

    /// <summary>The language this turn answers in (set at the start of the turn).</summary>
    public static ConversationLanguage Of(ITurnContext turn) =>
        turn.TurnState.TryGetValue(Key, out var value) && value is ConversationLanguage language
            ? language
            : throw new InvalidOperationException("The turn's language is chosen at the start of a message turn, before any dialog runs.");

    /// <summary>
    /// The language to answer in: the language the message is written in when it can be told (other
    /// languages than Swedish get English); otherwise the locale on the activity (Web Chat sends the page's
    /// language), otherwise the one remembered for the conversation, otherwise Swedish.
    /// </summary>
    private static ConversationLanguage Resolve(Activity activity, ConversationData data, string? detected = null)
    {
        var remembered = ConversationLanguages.FromLocale(data.Language);
        var language = detected is null or LanguageDetector.Undetermined
            ? ConversationLanguages.FromLocale(activity.Locale, remembered)
            : ConversationLanguages.FromLocale(detected);
        data.Language = language.ToIsoCode();
        return language;
    }

    private static ConversationLanguage Switch(ConversationData data, ConversationLanguage language)
    {
        data.Language = language.ToIsoCode();
        return language;
    }

    private static string? Detect(string? text) => string.IsNullOrWhiteSpace(text) ? null : LanguageDetector.Detect(text);
}
