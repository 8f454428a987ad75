using System.Text.RegularExpressions;
using ExportCenter.Knowledge.Entities;
using KB = ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// The partner organisations a message names (by name or short form: EKN, SEK, PRV, ISP, EEN, Almi,
/// Tullverket, handelskammaren, …, from the knowledge base's names and aliases, in every language the
/// aliases are written in), and whether the message asks about the organisation itself ("what does EKN do?",
/// "hur når jag Almi?", "vem ska jag ringa på Tullverket?").
/// </summary>
public sealed partial class OrganisationMentions
{
    private readonly TokenMatcher.PhraseIndex _names;

    public OrganisationMentions(KB.KnowledgeBase knowledge)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        _names = new(knowledge.Organisations
            .SelectMany(o => new[] { o.Name.Sv, o.Name.En }.Concat(o.Aliases).Select(name => (Tokens: TextNormalizer.Tokens(name), o.Id)))
            .Where(n => n.Tokens.Length > 0 && !IsCurrencyCode(n.Tokens))
            .Distinct());
    }

    /// <summary>The organisation ids named in the text, in order of appearance.</summary>
    public IReadOnlyList<string> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Ids(Mentions(text));
    }

    /// <summary>The organisation names in the text with their positions, in order of appearance.</summary>
    public IReadOnlyList<Entity> Mentions(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. TokenMatcher.Longest(_names.Match(text).Select(m => new Entity(EntityKind.Organisation, m.Text, m.Start, m.Value))).OrderBy(e => e.Start)];
    }

    /// <summary>The distinct organisation ids of mentions, in order of appearance.</summary>
    public static IReadOnlyList<string> Ids(IReadOnlyList<Entity> mentions) => [.. (mentions ?? []).Select(e => e.Value).Distinct()];

    /// <summary>
    /// Whether the message asks about a named organisation itself: what it does ("vad gör Almi?", "what does
    /// EKN do?"), whether it can help ("kan EKN hjälpa oss med det?", "does EKN have anything for …",
    /// "investiert Almi …"), how to reach it, or the bare name. A topic question that only names one ("what do
    /// we need for customs, does Tullverket …", "och tullen?") is not. <paramref name="mentions"/> are the text's
    /// <see cref="Mentions"/>, found once for both questions.
    /// </summary>
    public static bool AsksAbout(string text, IReadOnlyList<Entity> mentions)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(mentions);
        if (mentions.Count == 0)
        {
            return false;
        }

        // Each name becomes the word "org", so the patterns can say where the organisation stands in the question.
        var marked = new System.Text.StringBuilder();
        var at = 0;
        foreach (var mention in mentions)
        {
            marked.Append(text, at, mention.Start - at).Append(" org ");
            at = mention.Start + mention.Text.Length;
        }

        marked.Append(text, at, text.Length - at);
        var tokens = TextNormalizer.Fold(marked.ToString()).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var folded = " " + string.Join(' ', tokens) + " ";
        var others = tokens.Where(w => w != "org").ToList();
        if (others.Count == 0 || (others.Count == 1 && !Conjunctions.Contains(others[0])))
        {
            return true; // "Almi?", "Tullverket tack", but not "och tullen?"
        }

        return AboutPattern().IsMatch(folded) || ContactPattern().IsMatch(folded);
    }

    /// <summary>Words that make a bare name a follow-up on the current topic ("och tullen?", "and SEK?").</summary>
    private static readonly HashSet<string> Conjunctions = new(StringComparer.Ordinal) { "och", "and", "og", "und", "et", "en", "y", "men", "but", "samt", "plus" };

    // "SEK" is also the currency: "50 000 SEK" names no organisation.
    private static bool IsCurrencyCode(string[] tokens) => tokens is ["sek"];

    [GeneratedRegex(@" ((vad|va) (gor|ar|hjalper|erbjuder|kan|sysslar) (egentligen |man pa |man hos )?(the )?org|(vem|vilka) ar org|what (is|are) (the )?org|what (does|do) (the )?org (do|offer|help|work)|what can (the )?org|who (is|are) (the )?org|(kan|can|could|kann|will|would) (the |die |der )?org (hjalpa|help|hjelpe|hjaelpe|helfen|assist|ge|give|erbjuda|offer|gora|do)|(does|do|har|hat|hjalper|investerar|investiert|invests|invest|erbjuder|offers|hilft|finansierar|lanar|lender|lanar ut) (the |die |der |ni pa )?org|(hur|var) (nar|kontaktar|hittar) (jag|vi|man) (the )?org|hur kommer (jag|vi|man) i kontakt med (the )?org|var (finns|ligger) (the )?org|how (do|can) (i|we) (reach|contact|get hold of|get in touch with) (the )?org|where (is|are) (the )?org|vem (ska|kan) (jag|vi) (ringa|prata med|kontakta) (pa|hos) (the )?org|hva (gjor|gjer|tilbyr) (the )?org|hvem er org|hvad (laver|gor|tilbyder) org|was (macht|ist|tut|bietet) (die |der |das )?org|wie erreiche (ich|wir) (die |der |das )?org|org .*(vad (gor|ar) (dom|de)|what do they do|what is it|hva gjor de|was (machen|tun) sie)) ", RegexOptions.CultureInvariant)]
    private static partial Regex AboutPattern();

    [GeneratedRegex(@" (telefonnummer|telefonnumret|telefon|phone number|phone|e ?post|email|e mail|mejl|mejladress|adress|address|kontor|office|oppettider|opening hours|telefonnummer|nummer till) ", RegexOptions.CultureInvariant)]
    private static partial Regex ContactPattern();
}
