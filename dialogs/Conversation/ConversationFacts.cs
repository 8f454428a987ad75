using System.Text.RegularExpressions;
using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>What the company has said about its case so far (kept in conversation state, cleared with it).</summary>
public sealed class ConversationFacts
{
    /// <summary>The destination country (ISO 3166 code), e.g. "NO".</summary>
    public string? Country { get; set; }

    /// <summary>The destination's group: EU, EEA (outside the EU) or other.</summary>
    public string? CountryGroup { get; set; }

    /// <summary>What the company sells: goods or services.</summary>
    public string? Offering { get; set; }

    /// <summary>Who buys: a business or a consumer.</summary>
    public string? Buyer { get; set; }

    /// <summary>How far the company has come: young (a start-up, a few years old) or established.</summary>
    public string? CompanyStage { get; set; }

    /// <summary>One of Dalarna's municipalities, when named.</summary>
    public string? Municipality { get; set; }
}

/// <summary>Reads the facts a message states: a country and its group, goods or services, business or consumer buyer, company age, municipality.</summary>
internal static partial class FactReader
{
    /// <summary>The companies' own country (ISO 3166), never taken as the destination.</summary>
    private const string HomeCountry = "SE";

    public const string Goods = "goods";
    public const string Services = "services";
    public const string Business = "business";
    public const string Consumer = "consumer";
    public const string Young = "young";
    public const string Established = "established";

    /// <summary>Updates the facts from one message; returns whether any changed.</summary>
    public static bool Update(ConversationFacts facts, MessageUnderstandingResult understood, string text)
    {
        var before = (facts.Country, facts.Offering, facts.Buyer, facts.CompanyStage, facts.Municipality);
        // Sweden is home, not a destination: "svensk moms", "Swedish VAT" name no market.
        if (understood.Entities.LastOrDefault(e => e.Kind == EntityKind.Country && e.Detail != CountryRecognizer.Region && e.Value != HomeCountry) is { } country)
        {
            facts.Country = country.Value;
            facts.CountryGroup = country.Detail;
        }

        if (understood.Entities.FirstOrDefault(e => e.Kind == EntityKind.Municipality) is { } municipality)
        {
            facts.Municipality = municipality.Value;
        }

        // "jag menar tjänster, inte varor": what is denied does not count.
        var folded = Negated().Replace(" " + TextNormalizer.Fold(text) + " ", " ");
        // "servicebesök på deras maskiner" is about services: the side named more often wins, a tie tells nothing.
        var goods = GoodsWords().Count(folded);
        var services = ServicesWords().Count(folded);
        if (goods != services)
        {
            facts.Offering = goods > services ? Goods : Services;
        }

        var consumer = ConsumerWords().IsMatch(folded);
        var business = BusinessWords().IsMatch(folded);
        if (consumer != business)
        {
            facts.Buyer = consumer ? Consumer : Business;
        }

        if (YoungWords().IsMatch(folded))
        {
            facts.CompanyStage = Young;
        }
        else if (EstablishedWords().IsMatch(folded))
        {
            facts.CompanyStage = Established;
        }

        return before != (facts.Country, facts.Offering, facts.Buyer, facts.CompanyStage, facts.Municipality);
    }

    [GeneratedRegex(@" (inte|ej|inga|not|no|ikke|nicht) (om |about )?(varor|vara|produkter|goods|products|tjanster|tjanst|services|konsulttjanster|privatpersoner|konsumenter|consumers|foretag|businesses)", RegexOptions.CultureInvariant)]
    private static partial Regex Negated();

    [GeneratedRegex(@" (varor|vara|produkter|produkt|maskiner|travaror|gjutgods|reservdelar|komponenter|mobler|goods|products|product|machines|spare parts|parts|components|furniture|timber|varer|trelast|waren) ", RegexOptions.CultureInvariant)]
    private static partial Regex GoodsWords();

    [GeneratedRegex(@" (tjanster|tjanst|konsulttjanster|konsulting|montage|installation|service|servicebesok|servicebesoken|licenser|licens|mjukvarulicenser|programvarulicenser|saas|services|consulting|licences|licenses|licence|license|software licences|software licenses|tjenester|dienstleistungen) ", RegexOptions.CultureInvariant)]
    private static partial Regex ServicesWords();

    [GeneratedRegex(@" (privatpersoner|privatperson|konsumenter|konsument|privatkunder|consumers|consumer|private customers|b2c|forbrukere|privatkunden) ", RegexOptions.CultureInvariant)]
    private static partial Regex ConsumerWords();

    [GeneratedRegex(@" (foretag|foretaget|foretagskund|foretagskunder|aterforsaljare|grossist|business|businesses|company|b2b|distributor) ", RegexOptions.CultureInvariant)]
    private static partial Regex BusinessWords();

    [GeneratedRegex(@" (nystartat|nystartade|nystartad|startup|start up|nytt foretag|(ett|tva|1|2) ar gammalt|(ett|tva|1|2) ar gammal|young company|new company|just started|newly started|(one|two|1|2) years? old) ", RegexOptions.CultureInvariant)]
    private static partial Regex YoungWords();

    [GeneratedRegex(@" (etablerat|etablerade|funnits (i|sedan)|established|been around|(10|20|30|tio|tjugo) ar) ", RegexOptions.CultureInvariant)]
    private static partial Regex EstablishedWords();
}
