using System.Collections;
using System.Globalization;
using Microsoft.Recognizers.Text;
using Microsoft.Recognizers.Text.DateTime;
using Microsoft.Recognizers.Text.Number;
using Microsoft.Recognizers.Text.NumberWithUnit;
using Microsoft.Recognizers.Text.Sequence;

namespace ExportCenter.Knowledge.Entities;

/// <summary>
/// Emails, phone numbers, web addresses, numbers, amounts of money and dates, recognised by
/// Microsoft.Recognizers.Text in Swedish (where the library supports it) and English. The models are built
/// once: building them is the expensive part.
/// </summary>
public sealed class StandardEntityRecognizers
{
    private readonly IModel _email;
    private readonly IModel _phone;
    private readonly IModel _url;
    private readonly Dictionary<string, (IModel Number, IModel Currency, IModel Date)> _byLanguage;

    /// <summary>Builds the models for Swedish and English.</summary>
    public StandardEntityRecognizers()
    {
        var sequence = new SequenceRecognizer(Culture.English);
        _email = sequence.GetEmailModel();
        _phone = sequence.GetPhoneNumberModel();
        _url = sequence.GetURLModel();
        _byLanguage = new Dictionary<string, (IModel, IModel, IModel)>(System.StringComparer.Ordinal)
        {
            ["en"] = Models(Culture.English),
            ["sv"] = Models(Culture.Swedish),
        };
    }

    /// <summary>The entities in a text; <paramref name="language"/> ("sv" or anything else) picks the models.</summary>
    public IEnumerable<Entity> Recognize(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var models = _byLanguage.GetValueOrDefault(language, _byLanguage["en"]);
        foreach (var r in Parse(_email, text))
        {
            yield return new Entity(EntityKind.Email, r.Text, r.Start, Value(r) ?? r.Text);
        }

        foreach (var r in Parse(_url, text))
        {
            yield return new Entity(EntityKind.Url, r.Text, r.Start, Value(r) ?? r.Text);
        }

        if (!text.Any(char.IsAsciiDigit))
        {
            // Phone numbers, numbers and amounts all need digits here (written-out numbers do not matter
            // for the service); dates can be words ("i morgon", "next week").
            foreach (var r in Parse(models.Date, text))
            {
                yield return new Entity(EntityKind.Date, r.Text, r.Start, DateValue(r) ?? r.Text);
            }

            yield break;
        }

        foreach (var r in Parse(_phone, text))
        {
            yield return new Entity(EntityKind.Phone, r.Text, r.Start, Value(r) ?? r.Text);
        }

        foreach (var r in Parse(models.Currency, text))
        {
            var iso = r.Resolution?.GetValueOrDefault("isoCurrency") as string;
            var unit = r.Resolution?.GetValueOrDefault("unit") as string;
            yield return new Entity(EntityKind.Money, r.Text, r.Start, $"{Value(r)} {(string.IsNullOrEmpty(iso) ? IsoOf(unit, r.Text) : iso)}".Trim());
        }

        // Written-out numbers are skipped: in Swedish "en" and "ett" are mostly articles.
        foreach (var r in Parse(models.Number, text).Where(r => r.Text.Any(char.IsAsciiDigit)))
        {
            yield return new Entity(EntityKind.Number, r.Text, r.Start, Value(r) ?? r.Text);
        }

        foreach (var r in Parse(models.Date, text))
        {
            yield return new Entity(EntityKind.Date, r.Text, r.Start, DateValue(r) ?? r.Text);
        }
    }

    /// <summary>
    /// The ISO code where the library gives only a unit name. In a Swedish service "kronor" means SEK unless
    /// the text says Norwegian or Danish; a bare "dollar" means USD.
    /// </summary>
    private static string? IsoOf(string? unit, string text) => unit switch
    {
        null => null,
        "Dollar" or "United States dollar" => "USD",
        "Euro" => "EUR",
        "Pound" or "British pound" or "Pound sterling" => "GBP",
        "Krone" or "Krona" or "Swedish krona" when text.Contains("nors", StringComparison.OrdinalIgnoreCase) || text.Contains("norw", StringComparison.OrdinalIgnoreCase) => "NOK",
        "Krone" or "Krona" or "Swedish krona" when text.Contains("dansk", StringComparison.OrdinalIgnoreCase) || text.Contains("danish", StringComparison.OrdinalIgnoreCase) => "DKK",
        "Krone" or "Krona" or "Swedish krona" => "SEK",
        "Norwegian krone" => "NOK",
        "Danish krone" => "DKK",
        _ => unit,
    };

    private static (IModel, IModel, IModel) Models(string culture) =>
        (new NumberRecognizer(culture).GetNumberModel(),
         new NumberWithUnitRecognizer(culture).GetCurrencyModel(),
         new DateTimeRecognizer(culture).GetDateTimeModel());

    private static List<ModelResult> Parse(IModel model, string text) => model.Parse(text) ?? [];

    private static string? Value(ModelResult r) =>
        r.Resolution?.GetValueOrDefault("value") is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    private static string? DateValue(ModelResult r) =>
        r.Resolution?.GetValueOrDefault("values") is IEnumerable values
            ? values.OfType<IDictionary<string, string>>().Select(v => v.TryGetValue("timex", out var t) ? t : null).FirstOrDefault(t => t is not null)
            : null;
}
