using LinguaLanguage = Lingua.Language;
using Lingua;

namespace ExportCenter.Knowledge.Language;

/// <summary>
/// The languages the region's companies write in: Swedish, English, Finnish, Norwegian (nynorsk is told as
/// bokmål, "nb"), Danish, German, Dutch, Polish, Arabic, Spanish and French. Statistical letter-sequence models (Lingua, in
/// its low-accuracy mode: about 15 MB of managed memory for these languages instead of about 480 MB, and about
/// 18 MB more resident memory in the idle bot) are weighed with function words and telling letters, which short
/// messages and Swedish typed without å, ä and ö need. Arabic is told by its script alone.
/// </summary>
public sealed class RegionLanguageDetector : ILanguageDetector
{
    /// <summary>The languages this detector tells apart, as ISO 639-1 codes.</summary>
    public static readonly IReadOnlyList<string> Languages = ["sv", "en", "fi", "nb", "da", "de", "nl", "pl", "ar", "es", "fr"];

    /// <summary>How much one function word or telling letter weighs against the models' probabilities.</summary>
    private const double WordWeight = 0.35;

    /// <summary>
    /// Most messages are in the region's two languages, so they start ahead: Swedish, then English. On a
    /// short message the models guess from a few letters, so they weigh less there.
    /// </summary>
    private static readonly (string Code, double Prior)[] Priors = [("sv", 0.2), ("en", 0.12)];

    private const int ShortMessageWords = 3;

    /// <summary>
    /// A letter none of the modelled languages writes (x with diaeresis, "ẍ"): neither its trigram, its bigram nor
    /// the letter itself is in any model, so looking it up reads all three models of every language.
    /// </summary>
    private const string UnknownLetters = "\u1E8D\u1E8D\u1E8D";

    private static readonly LinguaLanguage[] Modelled =
    [
        LinguaLanguage.Swedish, LinguaLanguage.English, LinguaLanguage.Finnish, LinguaLanguage.Bokmal, LinguaLanguage.Danish,
        LinguaLanguage.German, LinguaLanguage.Dutch, LinguaLanguage.Polish, LinguaLanguage.Spanish, LinguaLanguage.French,
    ];

    private static readonly Lazy<RegionLanguageDetector> SharedInstance = new(() => new RegionLanguageDetector());

    /// <summary>
    /// The letter-sequence models, read on the first message that needs them (about a second, 15-18 MB): most messages
    /// are told by their function words alone, so a bot that never sees another language never holds them.
    /// </summary>
    private readonly Lazy<LanguageDetector> _models = new(ReadModels);

    /// <summary>One detector per process: its models are the largest part of it, and it is thread-safe.</summary>
    public static RegionLanguageDetector Shared => SharedInstance.Value;

    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<string, LanguageGuess> _guesses = [];

    public LanguageGuess Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // A turn asks about its message twice (the conversation's language, then the understanding): the guess is kept
        // with that string for as long as it lives, so the second time costs a lookup.
        if (_guesses.TryGetValue(text, out var known))
        {
            return known;
        }

        var guess = Guess(text);
        _guesses.AddOrUpdate(text, guess);
        return guess;
    }

    private LanguageGuess Guess(string text)
    {
        var letters = text.Count(char.IsLetter);
        if (letters == 0)
        {
            return LanguageGuess.None;
        }

        if (text.Count(IsArabic) * 2 >= letters)
        {
            return new LanguageGuess("ar", [new("ar", 1.0)]);
        }

        var wordCount = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        var words = FunctionWordEvidence.Scores(text);
        if (Decisive(words) is { } clear)
        {
            // Most messages are plainly Swedish or English by their function words; the models (the costly part) are not needed.
            var sum = words.Values.Sum();
            return new LanguageGuess(clear, [.. words.OrderByDescending(w => w.Value).Select(w => new KeyValuePair<string, double>(w.Key, w.Value / sum))]);
        }

        var modelWeight = wordCount <= ShortMessageWords ? 0.5 : 1.0;
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (language, confidence) in _models.Value.ComputeLanguageConfidenceValues(text))
        {
            scores[Code(language)] = modelWeight * confidence;
        }

        foreach (var (code, prior) in Priors)
        {
            scores[code] = scores.GetValueOrDefault(code) + prior;
        }

        foreach (var (code, evidence) in words)
        {
            scores[code] = scores.GetValueOrDefault(code) + WordWeight * evidence;
        }

        if (words.Count == 0 && wordCount <= 2)
        {
            // A fragment with no function word ("eori nummer?", "tull"): too short for the models; Swedish or
            // English by letter patterns, as the region's two answering languages.
            var guess = FunctionWordEvidence.Guess(text.ToLowerInvariant());
            scores[guess] = scores.GetValueOrDefault(guess) + WordWeight;
        }

        var total = scores.Values.Sum();
        var ranked = scores.OrderByDescending(s => s.Value).ThenBy(s => Priority(s.Key))
            .Select(s => new KeyValuePair<string, double>(s.Key, total > 0 ? s.Value / total : 0)).ToList();
        return ranked.Count == 0 || ranked[0].Value <= 0 ? LanguageGuess.None : new LanguageGuess(ranked[0].Key, ranked);
    }

    /// <summary>Swedish or English when their function words lead by far (at least three, and three times the next language).</summary>
    private static string? Decisive(Dictionary<string, double> words)
    {
        if (words.Count == 0)
        {
            return null;
        }

        var ranked = words.OrderByDescending(w => w.Value).ToList();
        var (best, score) = (ranked[0].Key, ranked[0].Value);
        var next = ranked.Count > 1 ? ranked[1].Value : 0;
        return best is "sv" or "en" && score >= 3 && score >= 3 * next ? best : null;
    }

    /// <summary>
    /// Reads every model the low-accuracy mode uses, once and on the calling thread, then gives the memory the reading
    /// needed back to the system. That mode scores a message by its trigrams, and a trigram a language's model lacks
    /// by its first two letters or its first letter, so the bigram and letter models would otherwise be read while
    /// messages are told. Reading the models leaves about 20 MB of garbage (the decompressed text and Lingua's
    /// intermediate tables) that the collector would keep committed for later allocations; a compacting collection
    /// releases it now, before the process serves.
    /// </summary>
    private static LanguageDetector ReadModels()
    {
        var models = LanguageDetectorBuilder.FromLanguages(Modelled).WithLowAccuracyMode().Build();
        models.ComputeLanguageConfidenceValues(UnknownLetters);
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return models;
    }

    private static string Code(LinguaLanguage language) => language switch
    {
        LinguaLanguage.Bokmal => "nb",
        LinguaLanguage.Nynorsk => "nn",
        _ => language.IsoCode6391().ToString().ToLowerInvariant(),
    };

    private static int Priority(string code) => code switch
    {
        "sv" => 0,
        "en" => 1,
        _ => 2,
    };

    private static bool IsArabic(char c) => c is >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';
}
