using System.Globalization;
using System.Text.RegularExpressions;

namespace ExportCenter.Knowledge.KnowledgeBase;

/// <summary>Checks the fields of one entry and records what is wrong.</summary>
internal sealed partial class EntryCheck(string file, string entry, List<KnowledgeBaseProblem> problems)
{
    private readonly int _before = problems.Count;

    public bool Ok => problems.Count == _before;

    public void Fail(string field, string message) => problems.Add(new(file, entry, field, message));

    public bool Id(string? id, string field)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            Fail(field, "The id is missing.");
            return false;
        }

        if (!Id().IsMatch(id))
        {
            Fail(field, $"'{id}' is not a valid id (lowercase letters, digits and dashes).");
            return false;
        }

        return true;
    }

    public LocalizedText? Text(TextFile? text, string field)
    {
        if (text is null)
        {
            Fail(field, "The text is missing (needs sv and en).");
            return null;
        }

        if (string.IsNullOrWhiteSpace(text.Sv))
        {
            Fail(field + ".sv", "The Swedish text is missing or empty.");
        }

        if (string.IsNullOrWhiteSpace(text.En))
        {
            Fail(field + ".en", "The English text is missing or empty.");
        }

        return string.IsNullOrWhiteSpace(text.Sv) || string.IsNullOrWhiteSpace(text.En) ? null : new LocalizedText(text.Sv.Trim(), text.En.Trim());
    }

    public List<LocalizedText> Texts(List<TextFile>? texts, string field)
    {
        if (texts is not { Count: > 0 })
        {
            Fail(field, "At least one entry is required.");
            return [];
        }

        return texts.Select((t, i) => Text(t, $"{field}[{i}]")).OfType<LocalizedText>().ToList();
    }

    public Uri? Url(string? value, string field)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp))
        {
            return url;
        }

        Fail(field, $"'{value}' is not an absolute http(s) link.");
        return null;
    }

    public DateOnly? Date(string? value, string field)
    {
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Fail(field, $"'{value}' is not a date (YYYY-MM-DD).");
        return null;
    }

    /// <summary>An optional list of words or phrasings: none is fine, an empty one is not.</summary>
    public List<string> Words(List<string>? words, string field)
    {
        var empty = words?.FindIndex(string.IsNullOrWhiteSpace) ?? -1;
        if (empty >= 0)
        {
            Fail($"{field}[{empty}]", "The entry is empty.");
        }

        return words?.Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim()).ToList() ?? [];
    }

    public List<string> Examples(List<string>? examples, string field)
    {
        if (examples is not { Count: > 0 })
        {
            Fail(field, "At least one example is required.");
            return [];
        }

        var empty = examples.FindIndex(string.IsNullOrWhiteSpace);
        if (empty >= 0)
        {
            Fail($"{field}[{empty}]", "The example is empty.");
        }

        return examples.Where(x => !string.IsNullOrWhiteSpace(x)).Select(x => x.Trim()).ToList();
    }

    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Id();
}
