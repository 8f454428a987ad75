using System.Globalization;
using System.Text;

namespace ExportCenter.Bot.Insight;

/// <summary>
/// Writes CSV as RFC 4180 has it (comma, CRLF, quotes doubled), UTF-8 with a byte-order mark so that Excel reads å, ä, ö.
/// A field that a spreadsheet could run as a formula (=, +, - or @ at its start or after a ';', ',', tab or line break)
/// gets a leading apostrophe: the questions are written by companies.
/// </summary>
public static partial class Csv
{
    [System.Text.RegularExpressions.GeneratedRegex(@"(^|[;,\t\r\n])\s*[=+\-@]")]
    private static partial System.Text.RegularExpressions.Regex Formula();

    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<object?>> rows)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder();
        Line(csv, header);
        foreach (var row in rows)
        {
            Line(csv, row);
        }

        return csv.ToString();
    }

    public static byte[] Utf8WithBom(string csv) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)];

    private static void Line(StringBuilder csv, IEnumerable<object?> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                csv.Append(',');
            }

            first = false;
            csv.Append(Field(field));
        }

        csv.Append("\r\n");
    }

    private static string Field(object? value)
    {
        var text = value switch
        {
            null => string.Empty,
            DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            double d => d.ToString("0.###", CultureInfo.InvariantCulture),
            float f => f.ToString("0.###", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        // A spreadsheet may split a cell at ';' or ',' (Swedish Excel reads ';'), so a formula can start after one too.
        if (value is string && Formula().IsMatch(text))
        {
            text = "'" + text;
        }

        return text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
