using System.Globalization;
using System.Text;

namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// Folds text so that matching ignores case and diacritics (å→a, ä→a, ö→o, é→e, ø→o ...) and splits it
/// into word tokens; <see cref="Stem"/> removes common Swedish and English inflection endings so that
/// "exportera", "exporterar", "exporten" and "exporting" meet.
/// </summary>
public static class TextNormalizer
{
    // Longest first. Swedish noun/verb/adjective endings and the commonest English ones.
    private static readonly string[] Suffixes =
    [
        "arnas", "ernas", "ornas", "heten", "heter", "ingen", "ingar", "ningen", "ningar",
        "arna", "erna", "orna", "ande", "ende", "erat", "erar", "else", "ning", "ings",
        "are", "ast", "het", "ing", "ies", "ade", "ers", "ors", "ens", "ets",
        "ar", "er", "or", "en", "et", "na", "ed", "es", "ly",
        "a", "e", "s", "t",
    ];

    /// <summary>Lowercases and removes diacritics; every character that is not a letter or digit becomes a space.</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            switch (c)
            {
                case 'ø':
                    builder.Append('o');
                    continue;
                case 'æ':
                    builder.Append('a');
                    continue;
                case 'ß':
                    builder.Append("ss");
                    continue;
            }

            if (c < 128)
            {
                builder.Append(char.IsLetterOrDigit(c) ? c : ' ');
                continue;
            }

            if (char.IsSurrogate(c) || !char.IsLetterOrDigit(c))
            {
                // Emoji and other symbols separate words like punctuation.
                builder.Append(' ');
                continue;
            }

            switch (c)
            {
                case 'å' or 'ä' or 'á' or 'à' or 'â':
                    builder.Append('a');
                    continue;
                case 'ö' or 'ó' or 'ò' or 'ô':
                    builder.Append('o');
                    continue;
                case 'é' or 'è' or 'ê' or 'ë':
                    builder.Append('e');
                    continue;
                case 'ü' or 'ú' or 'ù' or 'û':
                    builder.Append('u');
                    continue;
            }

            foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(d);
                if (category == UnicodeCategory.NonSpacingMark)
                {
                    continue;
                }

                builder.Append(char.IsLetterOrDigit(d) ? d : ' ');
            }
        }

        return builder.ToString();
    }

    /// <summary>The folded word tokens of a text.</summary>
    public static string[] Tokens(string text) =>
        Fold(text).Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A light stem: the token without its inflection ending, never shorter than four letters.</summary>
    public static string Stem(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length <= 4 || char.IsDigit(token[0]))
        {
            return token;
        }

        foreach (var suffix in Suffixes)
        {
            if (token.Length - suffix.Length >= 4 && token.EndsWith(suffix, StringComparison.Ordinal))
            {
                return token[..^suffix.Length];
            }
        }

        return token;
    }
}
