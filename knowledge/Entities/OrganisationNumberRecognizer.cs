using System.Text.RegularExpressions;

namespace ExportCenter.Knowledge.Entities;

/// <summary>
/// Swedish organisation numbers (NNNNNN-NNNN, with or without the dash, optionally with the "16" century
/// prefix), accepted only when the Luhn check digit is right. A third digit of 2 or more marks a legal
/// entity; lower ones are personal identity numbers, as sole traders use.
/// </summary>
public static partial class OrganisationNumberRecognizer
{
    /// <summary>Finds the valid organisation numbers in a text.</summary>
    public static IEnumerable<Entity> Recognize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (Match m in Candidate().Matches(text))
        {
            var digits = m.Groups["a"].Value + m.Groups["b"].Value;
            if (IsValid(digits))
            {
                yield return new Entity(EntityKind.OrganisationNumber, m.Value, m.Index, $"{digits[..6]}-{digits[6..]}", digits[2] >= '2' ? "legal-entity" : "personal-identity-number");
            }
        }
    }

    /// <summary>True when ten digits (dash and century prefix removed) carry a correct Luhn check digit.</summary>
    public static bool IsValid(string tenDigits)
    {
        ArgumentNullException.ThrowIfNull(tenDigits);
        if (tenDigits.Length != 10 || !tenDigits.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var d = (tenDigits[i] - '0') * (i % 2 == 0 ? 2 : 1);
            sum += d > 9 ? d - 9 : d;
        }

        return (10 - (sum % 10)) % 10 == tenDigits[9] - '0';
    }

    [GeneratedRegex(@"(?<![\d+])(?:16)?(?<a>\d{6})[-\s]?(?<b>\d{4})(?!\d)", RegexOptions.CultureInvariant)]
    private static partial Regex Candidate();
}
