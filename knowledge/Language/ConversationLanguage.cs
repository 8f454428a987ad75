namespace ExportCenter.Knowledge.Language;

/// <summary>
/// A language the export centre answers in. Swedish is the default; English is offered to everyone else.
/// </summary>
public enum ConversationLanguage
{
    /// <summary>Swedish (sv).</summary>
    Swedish,

    /// <summary>English (en).</summary>
    English,
}

/// <summary>Conversions between <see cref="ConversationLanguage"/> and locale codes such as "sv-SE".</summary>
public static class ConversationLanguages
{
    /// <summary>
    /// Maps a BCP 47 locale (as Web Chat sends it, e.g. "sv-SE", "en-US", "sv") to the answering language.
    /// Swedish locales give Swedish; any other known language is answered in English; no locale gives
    /// <paramref name="fallback"/>.
    /// </summary>
    public static ConversationLanguage FromLocale(string? locale, ConversationLanguage fallback = ConversationLanguage.Swedish)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return fallback;
        }

        var primary = locale.Split('-', '_')[0].Trim();
        return primary.Equals("sv", StringComparison.OrdinalIgnoreCase) ? ConversationLanguage.Swedish : ConversationLanguage.English;
    }

    /// <summary>The ISO 639-1 code ("sv" or "en").</summary>
    public static string ToIsoCode(this ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? "sv" : "en";

    /// <summary>The locale the bot stamps on its replies ("sv-SE" or "en-GB").</summary>
    public static string ToLocale(this ConversationLanguage language) =>
        language == ConversationLanguage.Swedish ? "sv-SE" : "en-GB";
}
