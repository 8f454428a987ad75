namespace ExportCenter.Knowledge.KnowledgeBase;

/// <summary>A text of an entry whose Swedish and English versions were last changed at different times.</summary>
/// <param name="Field">The field's path in the file (answer, facets.cost, title, …); list items are named by their id.</param>
/// <param name="SwedishChanged">When a line of the Swedish text last changed.</param>
/// <param name="EnglishChanged">When a line of the English text last changed.</param>
public sealed record ParityLine(string Field, DateTimeOffset SwedishChanged, DateTimeOffset EnglishChanged)
{
    /// <summary>The Swedish text changed after the English one: the translation may be out of date.</summary>
    public bool SwedishIsNewer => SwedishChanged > EnglishChanged;
}

/// <summary>
/// Reads, from a knowledge-base YAML file and the time each of its lines last changed (as <c>git blame</c> gives them),
/// when each field's <c>sv</c> and <c>en</c> texts last changed, so the editors see a Swedish text edited after its
/// English one. Works on the files' own layout: nested keys by indentation, list items with an <c>id</c>, block texts.
/// </summary>
public static class TranslationParity
{
    public static IReadOnlyList<ParityLine> Read(IReadOnlyList<(string Text, DateTimeOffset Changed)> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var path = new List<(int Indent, string Key)>();
        var times = new Dictionary<string, (DateTimeOffset? Sv, DateTimeOffset? En)>(StringComparer.Ordinal);
        (string Field, string Language, int Indent)? block = null;
        foreach (var (raw, changed) in lines)
        {
            var indent = raw.Length - raw.TrimStart().Length;
            if (string.IsNullOrWhiteSpace(raw) || raw.TrimStart().StartsWith('#'))
            {
                // A comment inside a block text (indented under it) is part of it; a blank line changes nothing.
                if (block is { } open && !string.IsNullOrWhiteSpace(raw) && indent > open.Indent)
                {
                    Touch(times, open.Field, open.Language, changed);
                }

                continue;
            }

            if (block is { } current && indent > current.Indent)
            {
                Touch(times, current.Field, current.Language, changed);
                continue;
            }

            block = null;
            var text = raw.Trim();
            if (text.StartsWith("- ", StringComparison.Ordinal))
            {
                // A list item: named by its id when it has one, else by its position's marker.
                while (path.Count > 0 && path[^1].Indent >= indent)
                {
                    path.RemoveAt(path.Count - 1);
                }

                var item = text[2..].Trim();
                path.Add((indent, item.StartsWith("id:", StringComparison.Ordinal) ? "[" + item[3..].Trim() + "]" : "[-]"));
                indent += 2;
                text = item;
            }

            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }

            var key = text[..colon].Trim();
            while (path.Count > 0 && path[^1].Indent >= indent)
            {
                path.RemoveAt(path.Count - 1);
            }

            if (key is "sv" or "en")
            {
                var field = string.Join('.', path.Select(p => p.Key));
                Touch(times, field, key, changed);
                block = (field, key, indent);
            }
            else
            {
                path.Add((indent, key));
            }
        }

        return [.. times.Where(t => t.Value.Sv is not null && t.Value.En is not null && t.Value.Sv != t.Value.En)
            .Select(t => new ParityLine(t.Key, t.Value.Sv!.Value, t.Value.En!.Value))
            .OrderBy(l => l.Field, StringComparer.Ordinal)];
    }

    private static void Touch(Dictionary<string, (DateTimeOffset? Sv, DateTimeOffset? En)> times, string field, string language, DateTimeOffset changed)
    {
        var (sv, en) = times.GetValueOrDefault(field);
        if (language == "sv")
        {
            sv = sv is null || changed > sv ? changed : sv;
        }
        else
        {
            en = en is null || changed > en ? changed : en;
        }

        times[field] = (sv, en);
    }
}
