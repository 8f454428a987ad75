namespace ExportCenter.Knowledge.Language;

/// <summary>What a detector found: the most likely language and the scores of the others.</summary>
/// <param name="Code">An ISO 639-1 code ("sv", "nb", "de", …), or <see cref="Undetermined"/>.</param>
/// <param name="Scores">Every language considered, most likely first; the scores add up to about 1.</param>
public sealed record LanguageGuess(string Code, IReadOnlyList<KeyValuePair<string, double>> Scores)
{
    /// <summary>The code of a text whose language cannot be told (digits, punctuation, emoji).</summary>
    public const string Undetermined = "und";

    /// <summary>The guess for a text without letters.</summary>
    public static LanguageGuess None { get; } = new(Undetermined, []);

    /// <summary>The score of one language (0 when it was not considered).</summary>
    public double Score(string code) => Scores.FirstOrDefault(s => s.Key == code).Value;
}

/// <summary>Tells the language a company writes in.</summary>
public interface ILanguageDetector
{
    /// <summary>Detects the language of one message.</summary>
    LanguageGuess Detect(string text);
}
