using System.Text.RegularExpressions;
using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Dialogs.DialogLayer;

/// <summary>What a prompt accepts as an answer: the parsed value, or nothing (the user is asked again).</summary>
/// <typeparam name="T">The value type.</typeparam>
public delegate bool AnswerRecognizer<T>(string text, out T value);

/// <summary>The recognisers of the prompts (free text, names, yes/no, email, phone, organisation number, municipality).</summary>
public static partial class Answers
{
    private static readonly HashSet<string> Yes = ["ja", "japp", "jajamen", "jo", "javisst", "visst", "absolut", "garna", "ok", "okej", "yes", "yeah", "yep", "sure", "of course", "y", "j", "stammer", "correct", "right"];
    private static readonly HashSet<string> No = ["nej", "nae", "na", "nix", "inte", "no", "nope", "nah", "n", "not really", "stammer inte", "wrong"];

    /// <summary>Non-empty text of at most <paramref name="maxLength"/> characters.</summary>
    public static AnswerRecognizer<string> Text(int maxLength) => (string text, out string value) =>
    {
        value = text.Trim();
        return value.Length > 0 && value.Length <= maxLength;
    };

    /// <summary>
    /// A name (of a company or a person) of at most <paramref name="maxLength"/> characters that does not look like a
    /// link or an address: names are shown to advisors and written to the company, so they must not carry a
    /// link or an address someone else put there.
    /// </summary>
    public static AnswerRecognizer<string> Name(int maxLength)
    {
        var text = Text(maxLength);
        return (string answer, out string value) => text(answer, out value) && !LooksLikeLinkOrAddress(value);
    }

    /// <summary>
    /// Whether a text holds something a mail program or browser could take for a link or an address: "://",
    /// "www.", an "@", or a domain-like word such as "evil.example" (two or more letters before the dot, so
    /// "E.ON" and "J. Smith" are names).
    /// </summary>
    public static bool LooksLikeLinkOrAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("://", StringComparison.Ordinal)
            || text.Contains("www.", StringComparison.OrdinalIgnoreCase)
            || text.Contains('@', StringComparison.Ordinal)
            || DomainPattern().IsMatch(text);
    }

    /// <summary>Yes or no in Swedish or English, with or without å/ä/ö; the first word decides ("ja tack", "nej tack", "yes please").</summary>
    public static bool YesNo(string text, out bool value)
    {
        var words = TextNormalizer.Tokens(text);
        var whole = string.Join(' ', words);
        value = words.Length > 0 && (Yes.Contains(whole) || Yes.Contains(words[0]));
        return words.Length > 0 && (value || No.Contains(whole) || No.Contains(words[0]));
    }

    /// <summary>An email address.</summary>
    public static bool Email(string text, out string value)
    {
        var match = EmailPattern().Match(text);
        value = match.Success ? match.Value.ToLowerInvariant() : string.Empty;
        return match.Success;
    }

    /// <summary>A phone number: 7 to 15 digits, with an optional +, spaces and dashes; Swedish numbers normalised to +46.</summary>
    public static bool Phone(string text, out string value)
    {
        value = string.Empty;
        var match = PhonePattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var digits = new string(match.Value.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length is < 7 or > 15)
        {
            return false;
        }

        value = match.Value.TrimStart().StartsWith('+') ? "+" + digits : digits.StartsWith('0') ? "+46" + digits[1..] : digits;
        return true;
    }

    /// <summary>A Swedish organisation number with a valid check digit.</summary>
    public static bool OrganisationNumber(string text, out string value)
    {
        var found = OrganisationNumberRecognizer.Recognize(text).FirstOrDefault();
        value = found?.Value ?? string.Empty;
        return found is not null;
    }

    /// <summary>One of Dalarna's 15 municipalities, or "outside Dalarna".</summary>
    public static bool Municipality(string text, out string value)
    {
        var folded = string.Join(' ', TextNormalizer.Tokens(text));
        if (folded.Contains("utanfor", StringComparison.Ordinal) || folded.Contains("outside", StringComparison.Ordinal) || folded.Contains("annan", StringComparison.Ordinal))
        {
            value = OutsideDalarna;
            return true;
        }

        value = MunicipalityRecognizer.Recognize(text).FirstOrDefault()?.Value ?? string.Empty;
        return value.Length > 0;
    }

    /// <summary>The value stored for a company outside Dalarna.</summary>
    public const string OutsideDalarna = "outside-dalarna";

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex EmailPattern();

    // A word of two or more letters or digits, a dot, and two or more letters: "evil.example", "shop.foo.se".
    [GeneratedRegex(@"(?<![\p{L}\d])[\p{L}\d][\p{L}\d\-]+(?:\.[\p{L}\d\-]+)*\.\p{L}{2,}(?![\p{L}\d])", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();

    [GeneratedRegex(@"\+?[\d][\d\s\-()]{5,20}\d", RegexOptions.CultureInvariant)]
    private static partial Regex PhonePattern();
}
