namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// Detects the language of short chat messages from function words and telling letters. Swedish and
/// English are told apart best; German, Finnish, Norwegian, Danish, French and Spanish are recognised so
/// that the bot can answer them in English. Returns an ISO 639-1 code, or "und" when it cannot tell.
/// </summary>
public static class LanguageDetector
{
    /// <summary>Undetermined.</summary>
    public const string Undetermined = "und";

    private static readonly Dictionary<string, HashSet<string>> FunctionWords = new(StringComparer.Ordinal)
    {
        ["sv"] = Words("och att det som en ett ar är pa på for för med jag vi hur vad kan till av om inte har ska skall maste måste behover behöver var vår vart vårt vara våra mitt min mina fran från eller far får hej tack nagon någon nagot något finns blir gor gör vill vilka vilken vilket man sig oss ert er era hos nar när dar där sa så ocksa också bara eftersom skulle kommer mycket hjalp hjälp fraga fråga foretag företag sverige exportera salja sälja kund kunder varor tjanster tjänster utomlands"),
        ["en"] = Words("the and to of is are we i how what can do does for with our my need in on it you a an be have has this that there which who where when should would could will sell buy company customer customers goods services abroad export exporting from about any get want help hello hi thanks please us me your"),
        ["de"] = Words("und der die das ich wir ist nicht mit für fur wie können konnen was ein eine einen unser unsere haben sie es zu auf auch bitte danke hallo wo"),
        ["fi"] = Words("ja on ei ole mitä mita miten voi meidän meidan yritys kanssa että etta kuinka minä mina me te se tämä tama kiitos hei onko voiko pitää pitaa"),
        ["no"] = Words("og ikke jeg hvordan hva hvor er vi det til kan bedrift selge med hei takk vår vare våre noen hvis eller skal må"),
        ["da"] = Words("og ikke jeg hvordan hvad hvor er vi det til kan virksomhed sælge saelge med hej tak vores nogen hvis eller skal skulle"),
        ["fr"] = Words("le la les et est nous vous comment pour avec je une des du que qui pas notre nos bonjour merci entreprise vendre"),
        ["es"] = Words("el la los las y es nosotros como cómo para con una que de del por nuestra nuestro hola gracias empresa vender"),
    };

    /// <summary>The ISO 639-1 code of the text's language, or "und".</summary>
    public static string Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = text.ToLowerInvariant();
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var word in lower.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var (language, words) in FunctionWords)
            {
                if (words.Contains(word))
                {
                    scores[language] = scores.GetValueOrDefault(language) + 1;
                }
            }
        }

        // Telling letters.
        Boost(scores, "sv", Count(lower, 'å') * 1.5);
        Boost(scores, "sv", (Count(lower, 'ä') + Count(lower, 'ö')) * 0.8);
        Boost(scores, "fi", (Count(lower, 'ä') + Count(lower, 'ö')) * 0.5);
        Boost(scores, "no", (Count(lower, 'ø') + Count(lower, 'æ')) * 1.5);
        Boost(scores, "da", (Count(lower, 'ø') + Count(lower, 'æ')) * 1.4);
        Boost(scores, "de", (Count(lower, 'ü') + Count(lower, 'ß')) * 1.5);
        Boost(scores, "fr", (Count(lower, 'é') + Count(lower, 'è') + Count(lower, 'ç') + Count(lower, 'à')) * 1.2);
        Boost(scores, "es", (Count(lower, 'ñ') + Count(lower, '¿') + Count(lower, '¡') + Count(lower, 'ó') + Count(lower, 'í')) * 1.2);

        if (scores.Count == 0 || scores.Values.Max() <= 0)
        {
            return lower.Any(char.IsLetter) ? Guess(lower) : Undetermined;
        }

        // Ties go to the languages the service speaks, Swedish first (the region's language).
        var best = scores.OrderByDescending(s => s.Value).ThenBy(s => Priority(s.Key)).First();
        return best.Key;
    }

    /// <summary>With no function word at all (fragments such as "eori nummer?"), letter patterns decide.</summary>
    private static string Guess(string lower)
    {
        var swedish = 0;
        var english = 0;
        foreach (var word in lower.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (word.EndsWith("ing", StringComparison.Ordinal) || word.EndsWith("tion", StringComparison.Ordinal) || word.Contains("th", StringComparison.Ordinal) || word.Contains('w', StringComparison.Ordinal))
            {
                english++;
            }

            var swedishShape = word.EndsWith("ar", StringComparison.Ordinal) || word.EndsWith("er", StringComparison.Ordinal) || word.EndsWith("et", StringComparison.Ordinal)
                || word.Contains("sk", StringComparison.Ordinal) || word.Contains("kv", StringComparison.Ordinal) || word.Contains("sj", StringComparison.Ordinal);
            if (word.EndsWith("ning", StringComparison.Ordinal) || (!word.EndsWith("tion", StringComparison.Ordinal) && swedishShape))
            {
                swedish++;
            }
        }

        return english > swedish ? "en" : "sv";
    }

    private static int Priority(string language) => language switch
    {
        "sv" => 0,
        "en" => 1,
        _ => 2,
    };

    private static void Boost(Dictionary<string, double> scores, string language, double by)
    {
        if (by > 0)
        {
            scores[language] = scores.GetValueOrDefault(language) + by;
        }
    }

    private static int Count(string text, char c) => text.Count(x => x == c);

    private static readonly char[] Separators = [' ', '\t', '\n', '\r', ',', '.', '?', '!', ';', ':', '(', ')', '"', '\'', '/', '-'];

    private static HashSet<string> Words(string words) => new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
