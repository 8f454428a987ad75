using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Entities;

/// <summary>
/// Countries and markets named in Swedish or English (also without å/ä/ö, and common adjectives such as
/// "norsk kund" or "German buyer"), with their group: EU, EEA (outside the EU), or other. The group
/// decides a lot in export answers (customs, VAT, EKN's cover).
/// </summary>
public static class CountryRecognizer
{
    /// <summary>EU member state.</summary>
    public const string Eu = "EU";

    /// <summary>In the EEA but not the EU (Norway, Iceland, Liechtenstein).</summary>
    public const string Eea = "EEA";

    /// <summary>Outside the EU and the EEA.</summary>
    public const string Other = "other";

    /// <summary>A market that is a group of countries (the EU, the Nordics, Asia ...).</summary>
    public const string Region = "region";

    // code | group | names, comma-separated (Swedish and English, nouns and adjectives).
    private const string Table = """
        AT|EU|österrike,austria,österrikisk,österrikiska,austrian
        BE|EU|belgien,belgium,belgisk,belgiska,belgian
        BG|EU|bulgarien,bulgaria,bulgarisk,bulgarian
        HR|EU|kroatien,croatia,kroatisk,croatian
        CY|EU|cypern,cyprus
        CZ|EU|tjeckien,czechia,czech republic,tjeckisk,tjeckiska,czech
        DK|EU|danmark,denmark,dansk,danska,danish
        EE|EU|estland,estonia,estnisk,estonian
        FI|EU|finland,finsk,finska,finnish
        FR|EU|frankrike,france,fransk,franska,french
        DE|EU|tyskland,germany,tysk,tyska,tyskt,german
        GR|EU|grekland,greece,grekisk,grekiska,greek
        HU|EU|ungern,hungary,ungersk,hungarian
        IE|EU|irland,ireland,irländsk,irish
        IT|EU|italien,italy,italiensk,italienska,italian
        LV|EU|lettland,latvia,lettisk,latvian
        LT|EU|litauen,lithuania,litauisk,lithuanian
        LU|EU|luxemburg,luxembourg
        MT|EU|malta
        NL|EU|nederländerna,holland,netherlands,the netherlands,nederländsk,holländsk,holländska,dutch
        PL|EU|polen,poland,polsk,polska,polish
        PT|EU|portugal,portugisisk,portuguese
        RO|EU|rumänien,romania,rumänsk,romanian
        SK|EU|slovakien,slovakia,slovakisk,slovak
        SI|EU|slovenien,slovenia,slovensk,slovenian
        ES|EU|spanien,spain,spansk,spanska,spanish
        SE|EU|sverige,sweden,svensk,svenska,swedish
        NO|EEA|norge,norway,norsk,norska,norskt,norwegian
        IS|EEA|island,iceland,isländsk,icelandic
        LI|EEA|liechtenstein
        CH|other|schweiz,switzerland,schweizisk,swiss
        GB|other|storbritannien,england,uk,united kingdom,great britain,britain,brittisk,brittiska,engelsk,british,skottland,scotland
        US|other|usa,us,förenta staterna,united states,amerika,america,amerikansk,amerikanska,american,staterna,the states
        CA|other|kanada,canada,kanadensisk,canadian
        MX|other|mexiko,mexico,mexikansk,mexican
        BR|other|brasilien,brazil,brasiliansk,brazilian
        CN|other|kina,china,kinesisk,kinesiska,chinese
        JP|other|japan,japansk,japanska,japanese
        KR|other|sydkorea,south korea,korea,koreansk,korean
        IN|other|indien,india,indisk,indiska,indian
        SG|other|singapore
        VN|other|vietnam,viet nam,vietnamesisk,vietnamese
        TH|other|thailand,thailändsk,thai
        ID|other|indonesien,indonesia
        MY|other|malaysia
        AU|other|australien,australia,australisk,australian
        NZ|other|nya zeeland,new zealand
        AE|other|förenade arabemiraten,arabemiraten,emiraten,uae,united arab emirates,dubai,abu dhabi
        SA|other|saudiarabien,saudi arabia,saudi
        QA|other|qatar
        TR|other|turkiet,turkey,türkiye,turkisk,turkish
        UA|other|ukraina,ukraine,ukrainsk,ukrainian
        RU|other|ryssland,russia,rysk,ryska,russian
        ZA|other|sydafrika,south africa
        EG|other|egypten,egypt
        MA|other|marocko,morocco
        NG|other|nigeria
        KE|other|kenya
        IL|other|israel
        CL|other|chile
        AR|other|argentina
        EU|region|eu,europeiska unionen,european union,eu länder,eu-länder,eu countries,inre marknaden,single market
        EEA|region|ees,eea,europeiska ekonomiska samarbetsområdet,european economic area
        NORDICS|region|norden,nordics,nordic countries,nordiska länder,skandinavien,scandinavia
        ASIA|region|asien,asia,asiatiska
        GULF|region|gulfen,mellanöstern,middle east,gulf states,gulfstaterna
        AFRICA|region|afrika,africa
        """;

    private static readonly (string[] Tokens, string Value, string Group)[] Names = Parse();

    private static readonly TokenMatcher.PhraseIndex Index = new(Names.Select(n => (n.Tokens, n.Value)));

    private static readonly Dictionary<string, string> Groups = Names.GroupBy(n => n.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Group, StringComparer.Ordinal);

    /// <summary>Finds the countries and markets named in a text.</summary>
    public static IEnumerable<Entity> Recognize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TokenMatcher.Longest(Index.Match(text)
            .Select(m => new Entity(EntityKind.Country, m.Text, m.Start, m.Value, GroupOf(m.Value)))
            .Where(e => !IsAmbiguous(e)));
    }

    private static readonly Dictionary<string, (string Sv, string En)> Display = Table
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(line => line.Split('|'))
        .Where(parts => parts[1] != Region)
        .GroupBy(parts => parts[0])
        .ToDictionary(g => g.Key, g =>
        {
            var names = g.First()[2].Split(',');
            return (Capitalise(names[0]), Capitalise(names.Length > 1 ? names[1] : names[0]));
        });

    /// <summary>The country's name as the bot writes it ("Norge" / "Norway"); the code itself when unknown.</summary>
    public static string Name(string code, bool swedish) => code switch
    {
        "GB" => swedish ? "Storbritannien" : "the UK",
        "US" => swedish ? "USA" : "the USA",
        _ => Display.TryGetValue(code, out var name) ? (swedish ? name.Sv : name.En) : code,
    };

    private static string Capitalise(string name) => name.Length <= 3
        ? name.ToUpperInvariant()
        : string.Join(' ', name.Split(' ').Select(w => w is "och" or "and" or "the" ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>The group (EU, EEA, other, region) of a country code.</summary>
    public static string GroupOf(string code) => Groups.TryGetValue(code, out var group) ? group : throw new InvalidOperationException($"Unknown country code '{code}'.");

    // "us" is English "us" far more often than the USA; accept it only written in capitals.
    private static bool IsAmbiguous(Entity e) => e.Value == "US" && e.Text == "us";

    private static (string[], string, string)[] Parse() =>
        Table.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|'))
            .SelectMany(parts => parts[2].Split(',').Select(name => (TextNormalizer.Tokens(name), parts[0], parts[1])))
            .Where(n => n.Item1.Length > 0)
            .ToArray();
}
