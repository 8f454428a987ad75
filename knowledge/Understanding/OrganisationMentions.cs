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
    private readonly (string[] Tokens, string Value)[] _names;

    public OrganisationMentions(KB.KnowledgeBase knowledge)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        _names = [.. knowledge.Organisations
            .SelectMany(o => new[] { o.Name.Sv, o.Name.En }.Concat(o.Aliases).Select(name => (Tokens: TextNormalizer.Tokens(name), o.Id)))
            .Where(n => n.Tokens.Length > 0 && !IsCurrencyCode(n.Tokens))
            .Distinct()];
    }

    /// <summary>The organisation ids named in the text, in order of appearance.</summary>
    public IReadOnlyList<string> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. TokenMatcher.Longest(TokenMatcher.Match(text, _names).Select(m => new Entity(EntityKind.Organisation, m.Text, m.Start, m.Value)))
            .OrderBy(e => e.Start).Select(e => e.Value).Distinct()];
    }

    /// <summary>Whether the message asks what the organisation does or how to reach it (rather than a topic question).</summary>
    public static bool AsksAboutOrganisation(string text, int names)
    {
        ArgumentNullException.ThrowIfNull(text);
        var folded = " " + TextNormalizer.Fold(text) + " ";
        var words = folded.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return AboutPattern().IsMatch(folded) || words <= names + 1;
    }

    // "SEK" is also the currency: "50 000 SEK" names no organisation.
    private static bool IsCurrencyCode(string[] tokens) => tokens is ["sek"];

    [GeneratedRegex(@" (vad (gor|ar|hjalper)|vem ar|vilka ar|what (does|do|is)|who (is|are)|what can .* (do|help)|hur (nar|kontaktar|kommer) (jag|vi|man)( i kontakt med)?|(hur|var) (hittar|finns)|how (do|can) (i|we) (reach|contact|get (hold of|in touch with))|where (is|are|can)|vem ska (jag|vi) (ringa|prata med|kontakta)|(vilket|vad har .* for) (telefonnummer|nummer)|telefonnummer|telefon|phone number|phone|e ?post|email|mejl|adress|address|kontor|office|oppettider|opening hours|hva gjor|hvem er|was (macht|ist)|wie erreiche) ", RegexOptions.CultureInvariant)]
    private static partial Regex AboutPattern();
}
