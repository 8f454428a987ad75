using System.Text;
using System.Text.RegularExpressions;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// Plain text, such as what a company wrote, made into markdown that shows exactly that text in the advisors'
/// channels: Adaptive Card text blocks and fact values, Teams messages and Web Chat on the local page all render
/// markdown, so "[invoice.pdf](https://evil.example)" would otherwise become a link inside the bot's own card.
/// Every character markdown gives a meaning is escaped with a backslash, each line loses the indentation that
/// would make it a code block, and web addresses are broken with brackets ("https[://]evil[.]example"), because
/// Teams and Web Chat link bare addresses whatever the escaping. E-mail addresses keep their dots, so advisors
/// can copy them.
/// </summary>
public static partial class MarkdownText
{
    /// <summary>The characters CommonMark, Teams and the Adaptive Card markdown subset give a meaning.</summary>
    private const string Special = @"\`*_[](){}#+-.!|~<>=:";

    /// <summary>The text as markdown that renders as the text itself, with its web addresses broken.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var markdown = new StringBuilder(text.Length * 2);
        foreach (var ch in BreakWebAddresses(WithoutIndentation(text)))
        {
            if (Special.Contains(ch, StringComparison.Ordinal))
            {
                markdown.Append('\\');
            }

            markdown.Append(ch);
        }

        return markdown.ToString();
    }

    /// <summary>
    /// <see cref="Escape(string)"/>, cut to at most <paramref name="maxLength"/> characters of markdown with an
    /// ellipsis, so that no text makes a card too large however much escaping it needs. The cut never splits an
    /// escape, so nothing after it can take on a meaning.
    /// </summary>
    public static string Escape(string text, int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var markdown = Escape(text);
        if (markdown.Length <= maxLength)
        {
            return markdown;
        }

        var cut = maxLength - 1;
        var backslashes = 0;
        while (backslashes < cut && markdown[cut - 1 - backslashes] == '\\')
        {
            backslashes++;
        }

        // An odd run of backslashes before the cut ends with an escape whose character was cut off.
        return string.Concat(markdown.AsSpan(0, backslashes % 2 == 1 ? cut - 1 : cut), "…");
    }

    private static string WithoutIndentation(string text) => LineIndentation().Replace(text, string.Empty);

    private static string BreakWebAddresses(string text) => WebAddressPart().Replace(text, m =>
        m.Groups["email"].Success ? m.Value : "[" + m.Value + "]");

    [GeneratedRegex(@"^[ \t]+", RegexOptions.Multiline)]
    private static partial Regex LineIndentation();

    /// <summary>
    /// An e-mail address (left as it is), or a part of a web address that renderers link: "://" or "//", and a
    /// dot between a name and what looks like a top-level domain (a country code, three letters or more, or after
    /// "www"). "t.ex." and "bl.a." keep their dots; so does "2.5".
    /// </summary>
    [GeneratedRegex(
        @"(?<email>[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+)"
        + @"|:?//"
        + @"|(?<=(?i:www))\."
        + @"|(?<=[\p{L}\p{N}])\.(?=\p{L}{3}|(?i:a[cdefgilmnoqrstuwxz]|b[abdefghijmnorstvwyz]|c[acdfghiklmnoruvwxyz]|d[ejkmoz]|e[cegrstu]|f[ijkmor]|g[abdefghilmnpqrstuwy]|h[kmnrtu]|i[delmnoqrst]|j[emop]|k[eghimnprwyz]|l[abcikrstuvy]|m[acdeghklmnopqrstuvwxyz]|n[acefgilopruz]|om|p[aefghklmnrstwy]|qa|r[eosuw]|s[abcdeghijklmnortuvxyz]|t[cdfghjklmnortvwz]|u[agksyz]|v[aceginu]|w[fs]|y[et]|z[amw])(?![\p{L}\p{N}]))",
        RegexOptions.CultureInvariant)]
    private static partial Regex WebAddressPart();
}
