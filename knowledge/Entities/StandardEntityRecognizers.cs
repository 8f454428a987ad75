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
/// Microsoft.Recognizers.Text in Swedish (where the library supports it) and English. Building the models is the
/// expensive part (about half a second and 14 MB, more again as each reads its first text), so they are built once,
/// when first needed or when <see cref="Prepare"/> asks for them: a bot that nobody writes to does not hold them.
/// </summary>
public sealed partial class StandardEntityRecognizers
{
    private readonly Lazy<Models> _models = new(() => new Models(), LazyThreadSafetyMode.ExecutionAndPublication);
    private int _preparing;

    /// <summary>Whether the models are built.</summary>
    public bool IsBuilt => _models.IsValueCreated;

    /// <summary>Starts building the models on the thread pool, once; a text read before they are done waits for them.</summary>
    public void Prepare()
    {
        if (!_models.IsValueCreated && Interlocked.Exchange(ref _preparing, 1) == 0)
        {
            _ = Task.Run(() => _models.Value);
        }
    }

    private sealed class Models
    {
        public Models()
        {
            var sequence = new SequenceRecognizer(Culture.English);
            Email = sequence.GetEmailModel();
            Phone = sequence.GetPhoneNumberModel();
            Url = sequence.GetURLModel();
            ByLanguage = new Dictionary<string, (IModel, IModel, IModel)>(System.StringComparer.Ordinal)
            {
                ["en"] = ForCulture(Culture.English),
                ["sv"] = ForCulture(Culture.Swedish),
            };
        }

        public IModel Email { get; }

        public IModel Phone { get; }

        public IModel Url { get; }

        public Dictionary<string, (IModel Number, IModel Currency, IModel Date)> ByLanguage { get; }

        private static (IModel, IModel, IModel) ForCulture(string culture) =>
            (new NumberRecognizer(culture).GetNumberModel(),
             new NumberWithUnitRecognizer(culture).GetCurrencyModel(),
             new DateTimeRecognizer(culture).GetDateTimeModel());
    }

    /// <summary>The entities in a text; <paramref name="language"/> ("sv" or anything else) picks the models.</summary>
    public IEnumerable<Entity> Recognize(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        return RecognizeChecked(text, language);
    }

    private IEnumerable<Entity> RecognizeChecked(string text, string language)
    {
        // Built only when the text has something to look for (every model below runs only then).
        var hasAt = text.Contains('@', StringComparison.Ordinal);
        var hasDot = text.Contains('.', StringComparison.Ordinal);
        var hasDigits = text.Any(char.IsAsciiDigit);
        var hasDateWords = DateWords().IsMatch(text);
        if (!hasAt && !hasDot && !hasDigits && !hasDateWords)
        {
            yield break;
        }

        var all = _models.Value;
        var models = all.ByLanguage.GetValueOrDefault(language, all.ByLanguage["en"]);

        // The library's models are slow on every message, so each runs only when the text has what its
        // entities cannot do without: an @ for emails, a dot for web addresses, digits for phone numbers,
        // numbers and amounts, digits or a date word for dates.
        if (hasAt)
        {
            foreach (var r in Parse(all.Email, text))
            {
                yield return new Entity(EntityKind.Email, r.Text, r.Start, Value(r) ?? r.Text);
            }
        }

        if (hasDot)
        {
            foreach (var r in Parse(all.Url, text))
            {
                yield return new Entity(EntityKind.Url, r.Text, r.Start, Value(r) ?? r.Text);
            }
        }

        if (!hasDigits)
        {
            if (hasDateWords)
            {
                foreach (var r in Parse(models.Date, text))
                {
                    yield return new Entity(EntityKind.Date, r.Text, r.Start, DateValue(r) ?? r.Text);
                }
            }

            yield break;
        }

        // Phone numbers, numbers and amounts are looked for only around the digits: on a long message
        // that is a fraction of the text, and the models' cost grows with the text they read.
        foreach (var (offset, window) in DigitWindows(text))
        {
            foreach (var r in Parse(all.Phone, window))
            {
                yield return new Entity(EntityKind.Phone, r.Text, offset + r.Start, Value(r) ?? r.Text);
            }

            // The currency model is the costliest of these (about 0.15 ms a window): it runs only where a currency is named.
            foreach (var r in CurrencyWords().IsMatch(window) ? Parse(models.Currency, window) : [])
            {
                var iso = r.Resolution?.GetValueOrDefault("isoCurrency") as string;
                var unit = r.Resolution?.GetValueOrDefault("unit") as string;
                yield return new Entity(EntityKind.Money, r.Text, offset + r.Start, $"{Value(r)} {(string.IsNullOrEmpty(iso) ? IsoOf(unit, r.Text) : iso)}".Trim());
            }

            // Written-out numbers are skipped: in Swedish "en" and "ett" are mostly articles.
            foreach (var r in Parse(models.Number, window).Where(r => r.Text.Any(char.IsAsciiDigit)))
            {
                yield return new Entity(EntityKind.Number, r.Text, offset + r.Start, Value(r) ?? r.Text);
            }
        }

        if (hasDateWords || NumericDate().IsMatch(text))
        {
            foreach (var r in Parse(models.Date, text))
            {
                yield return new Entity(EntityKind.Date, r.Text, r.Start, DateValue(r) ?? r.Text);
            }
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

    [System.Text.RegularExpressions.GeneratedRegex(
        @"\b(idag|i dag|imorgon|i morgon|igår|i går|ikväll|måndag|tisdag|onsdag|torsdag|fredag|lördag|söndag|januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|vecka|veckan|månad|månaden|nästa|förra|today|tomorrow|yesterday|tonight|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|may|june|july|august|october|week|month|next|last)\b",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex DateWords();

    [System.Text.RegularExpressions.GeneratedRegex(
        @"[€$£¥₹]|\b(kr|kronor|krona|kronan|kronorna|mkr|tkr|msek|ksek|sek|nok|dkk|isk|eur|euro|euros|euron|usd|dollar|dollars|dollarn|gbp|pund|pundet|pound|pounds|sterling|chf|franc|francs|jpy|yen|cny|yuan|rmb|renminbi|inr|rupee|rupees|rupier|pln|zloty|złoty|cad|aud|nzd|rub|rubel|ruble|rubles|rubler)\b",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex CurrencyWords();

    [System.Text.RegularExpressions.GeneratedRegex(@"\b\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}\b|\b\d{1,2}/\d{1,2}\b|\bkl\.? ?\d|\b\d{1,2}[:.]\d{2}\b", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex NumericDate();

    /// <summary>The stretches of text around runs of digits (about 30 characters each side, on word boundaries), merged where they meet.</summary>
    private static IEnumerable<(int Offset, string Window)> DigitWindows(string text)
    {
        const int Reach = 30;
        var start = -1;
        var end = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !char.IsAsciiDigit(text[i]))
            {
                continue;
            }

            if (i < text.Length && start >= 0 && i - Reach <= end)
            {
                end = Math.Min(text.Length, i + Reach);
                continue;
            }

            if (start >= 0)
            {
                var from = text.LastIndexOf(' ', Math.Max(0, start)) is var s && s >= 0 ? s : 0;
                var to = end >= text.Length ? text.Length : (text.IndexOf(' ', end) is var e && e >= 0 ? e : text.Length);
                yield return (from, text[from..to]);
            }

            if (i < text.Length)
            {
                start = Math.Max(0, i - Reach);
                end = Math.Min(text.Length, i + Reach);
            }
        }
    }

    private static List<ModelResult> Parse(IModel model, string text) => model.Parse(text) ?? [];

    private static string? Value(ModelResult r) =>
        r.Resolution?.GetValueOrDefault("value") is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

    private static string? DateValue(ModelResult r) =>
        r.Resolution?.GetValueOrDefault("values") is IEnumerable values
            ? values.OfType<IDictionary<string, string>>().Select(v => v.TryGetValue("timex", out var t) ? t : null).FirstOrDefault(t => t is not null)
            : null;
}
