using System.Buffers;
using System.Collections.Frozen;

namespace ExportCenter.Knowledge.Language;

/// <summary>
/// Evidence for the language of a short chat message from function words and telling letters. It tells
/// Swedish from English best, also when Swedish is typed without å, ä and ö, which statistical models of
/// letter sequences get wrong on a few words. <see cref="RegionLanguageDetector"/> weighs it with them.
/// </summary>
internal static class FunctionWordEvidence
{
    private static readonly Dictionary<string, HashSet<string>> FunctionWords = new(StringComparer.Ordinal)
    {
        ["sv"] = Words("vem hejdå hejda mig dig och att det som en ett ar är pa på for för med jag vi hur vad kan till av om inte har ska skall maste måste behover behöver var vår vart vårt vara våra mitt min mina fran från eller far får hej tack nagon någon nagot något finns blir gor gör vill vilka vilken vilket man sig oss ert er era hos nar när dar där sa så ocksa också bara eftersom skulle kommer mycket hjalp hjälp fraga fråga foretag företag sverige exportera salja sälja kund kunder varor tjanster tjänster utomlands"),
        ["en"] = Words("the and to of is are we i how what can do does for with our my need in on it you a an be have has this that there which who where when should would could will sell buy company customer customers goods services abroad export exporting from about any get want help hello hi thanks please us me your"),
        ["de"] = Words("und der die das ich wir ist nicht mit für fur wie können konnen was ein eine einen unser unsere haben sie es zu auf auch bitte danke hallo wo"),
        ["fi"] = Words("ja on ei ole mitä mita miten voi meidän meidan yritys kanssa että etta kuinka minä mina me te se tämä tama kiitos hei onko voiko pitää pitaa"),
        ["nb"] = Words("og ikke jeg hvordan hva hvor er vi det til kan bedrift selge med hei takk vår vare våre noen hvis eller skal må"),
        ["nl"] = Words("de het een en is wij we hoe wat kunnen kan voor met ons onze niet naar zijn hebben bedrijf verkopen hallo bedankt dank graag"),
        ["pl"] = Words("i w na jak co czy jest nie się sie do z dla nasza nasz firma możemy mozemy sprzedać sprzedac dzień dobry dziękuję dziekuje proszę prosze"),
        ["da"] = Words("og ikke jeg hvordan hvad hvor er vi det til kan virksomhed sælge saelge med hej tak vores nogen hvis eller skal skulle"),
        ["fr"] = Words("le la les et est nous vous comment pour avec je une des du que qui pas notre nos bonjour merci entreprise vendre"),
        ["es"] = Words("el la los las y es nosotros como cómo para con una que de del por nuestra nuestro hola gracias empresa vender"),
    };

    /// <summary>For each function word, the languages that have it, in the order of <see cref="FunctionWords"/>.</summary>
    private static readonly FrozenDictionary<string, string[]> LanguagesOfWord = FunctionWords
        .SelectMany(l => l.Value.Select(word => (Word: word, Language: l.Key)))
        .GroupBy(p => p.Word, StringComparer.Ordinal)
        .ToFrozenDictionary(g => g.Key, g => g.Select(p => p.Language).ToArray(), StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> LanguagesOfSpan =
        LanguagesOfWord.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The evidence per ISO 639-1 code (function words found, telling letters); empty when there is none.</summary>
    public static Dictionary<string, double> Scores(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lower = text.ToLowerInvariant();
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var range in lower.AsSpan().SplitAny(Separators))
        {
            // A word several languages share ("vi", "det", "kan") is weak evidence for each of them.
            if (LanguagesOfSpan.TryGetValue(lower.AsSpan(range), out var languages))
            {
                foreach (var language in languages)
                {
                    scores[language] = scores.GetValueOrDefault(language) + 1.0 / languages.Length;
                }
            }
        }

        // Telling letters.
        // Norwegian and Danish write å too (Swedish never ø or æ, they never ä or ö).
        var letters = TellingLetters.Count(lower);
        Boost(scores, "sv", letters.RingA * 0.8);
        Boost(scores, "nb", letters.RingA * 0.6);
        Boost(scores, "da", letters.RingA * 0.4);
        Boost(scores, "sv", letters.UmlautAO * 0.8);
        Boost(scores, "fi", letters.UmlautAO * 0.5);
        Boost(scores, "nb", letters.SlashedOAe * 1.5);
        Boost(scores, "pl", letters.Polish * 1.5);
        Boost(scores, "da", letters.SlashedOAe * 1.4);
        Boost(scores, "de", letters.German * 1.5);
        Boost(scores, "fr", letters.French * 1.2);
        Boost(scores, "es", letters.Spanish * 1.2);

        return scores;
    }

    /// <summary>With no function word at all (fragments such as "eori nummer?"), letter patterns decide.</summary>
    internal static string Guess(string lower)
    {
        var swedish = 0;
        var english = 0;
        foreach (var word in lower.Split(SeparatorChars, StringSplitOptions.RemoveEmptyEntries))
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

    private static void Boost(Dictionary<string, double> scores, string language, double by)
    {
        if (by > 0)
        {
            scores[language] = scores.GetValueOrDefault(language) + by;
        }
    }

    private static readonly char[] SeparatorChars = [' ', '\t', '\n', '\r', ',', '.', '?', '!', ';', ':', '(', ')', '"', '\'', '/', '-'];

    private static readonly SearchValues<char> Separators = SearchValues.Create(SeparatorChars);

    /// <summary>How often a lower-cased text has the letters that tell languages apart, counted in one pass.</summary>
    private readonly record struct TellingLetters(int RingA, int UmlautAO, int SlashedOAe, int Polish, int German, int French, int Spanish)
    {
        public static TellingLetters Count(string lower)
        {
            int ringA = 0, umlautAO = 0, slashedOAe = 0, polish = 0, german = 0, french = 0, spanish = 0;
            foreach (var c in lower)
            {
                switch (c)
                {
                    case 'å': ringA++; break;
                    case 'ä' or 'ö': umlautAO++; break;
                    case 'ø' or 'æ': slashedOAe++; break;
                    case 'ł' or 'ą' or 'ę' or 'ś' or 'ź' or 'ż' or 'ć' or 'ń': polish++; break;
                    case 'ü' or 'ß': german++; break;
                    case 'é' or 'è' or 'ç' or 'à': french++; break;
                    case 'ñ' or '¿' or '¡' or 'ó' or 'í': spanish++; break;
                }
            }

            return new TellingLetters(ringA, umlautAO, slashedOAe, polish, german, french, spanish);
        }
    }

    private static HashSet<string> Words(string words) => new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
