using System.Text.RegularExpressions;

namespace ExportCenter.Knowledge.KnowledgeBase;

/// <summary>How readable a text is: its words, LIX (Swedish) and Flesch reading ease (English).</summary>
public sealed record ReadabilityScore(int Words, int Sentences, double Lix, double Flesch);

/// <summary>
/// Readability measures for the first-shown answers (klarspråk). Words are runs of letters or digits, so
/// names and links count as words. Sentences end at ".", "!", "?" or ":" followed by a space or the end.
/// <list type="bullet">
/// <item>LIX = words / sentences + 100 × long words / words, a long word having more than six letters.</item>
/// <item>Flesch reading ease = 206.835 − 1.015 × words / sentences − 84.6 × syllables / words.</item>
/// </list>
/// Syllables are counted as groups of vowels (a, e, i, o, u, y): "export" 2, "agreement" 3, "insurance" 3.
/// A final silent "e" is not a group of its own ("make" 1, "guarantee" 3), except after "l" ("table" 2);
/// every word has at least one.
/// </summary>
public static partial class Readability
{
    /// <summary>The most words a first-shown text may have.</summary>
    public const int MaxWords = 70;

    /// <summary>The highest LIX a Swedish first-shown text may have.</summary>
    public const double MaxLix = 40;

    /// <summary>The lowest Flesch reading ease an English first-shown text may have.</summary>
    public const double MinFlesch = 50;

    public static ReadabilityScore Score(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = WordPattern().Matches(text).Select(m => m.Value).ToList();
        var sentences = Math.Max(1, SentenceEnd().Count(text.TrimEnd() + " "));
        if (words.Count == 0)
        {
            return new ReadabilityScore(0, sentences, 0, 0);
        }

        var perSentence = (double)words.Count / sentences;
        var longWords = words.Count(w => w.Count(char.IsLetter) > 6);
        var lix = perSentence + 100.0 * longWords / words.Count;
        var syllables = words.Sum(Syllables);
        var flesch = 206.835 - 1.015 * perSentence - 84.6 * syllables / words.Count;
        return new ReadabilityScore(words.Count, sentences, Math.Round(lix, 1), Math.Round(flesch, 1));
    }

    /// <summary>The syllables of one word, by vowel groups (see the type's remarks).</summary>
    public static int Syllables(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var w = word.ToLowerInvariant();
        var groups = 0;
        var inVowels = false;
        foreach (var c in w)
        {
            var vowel = c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
            if (vowel && !inVowels)
            {
                groups++;
            }

            inVowels = vowel;
        }

        if (groups > 1 && w.EndsWith('e') && !w.EndsWith("le", StringComparison.Ordinal) && !w.EndsWith("ee", StringComparison.Ordinal)
            && w.Length > 2 && !IsVowel(w[^2]))
        {
            groups--;
        }

        return Math.Max(1, groups);
    }

    /// <summary>What is wrong with a first-shown text, or null when it is within the limits.</summary>
    public static string? Problem(string text, bool swedish)
    {
        var score = Score(text);
        if (score.Words > MaxWords)
        {
            return $"{score.Words} words (at most {MaxWords})";
        }

        if (swedish && score.Lix > MaxLix)
        {
            return $"LIX {score.Lix} (at most {MaxLix})";
        }

        return !swedish && score.Flesch < MinFlesch ? $"Flesch reading ease {score.Flesch} (at least {MinFlesch})" : null;
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:[-'’.:/@]+[\p{L}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[.!?:](?=\s)", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceEnd();
}
