using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Entities;

/// <summary>Finds phrases (as folded token sequences) in a text and maps them back to the original span.</summary>
internal static class TokenMatcher
{
    /// <summary>Keeps the longest of overlapping matches ("Förenade arabemiraten" rather than also "arabemiraten").</summary>
    public static IEnumerable<Entity> Longest(IEnumerable<Entity> entities)
    {
        var kept = new List<Entity>();
        foreach (var e in entities.OrderByDescending(e => e.Text.Length).ThenBy(e => e.Start))
        {
            if (!kept.Any(k => e.Start < k.Start + k.Text.Length && k.Start < e.Start + e.Text.Length))
            {
                kept.Add(e);
            }
        }

        return kept.OrderBy(e => e.Start);
    }

    public static IEnumerable<(string Text, int Start, string Value)> Match(string text, IEnumerable<(string[] Tokens, string Value)> phrases)
    {
        var words = Words(text);
        var folded = words.Select(w => TextNormalizer.Fold(w.Text).Trim()).ToArray();
        foreach (var (tokens, value) in phrases)
        {
            for (var i = 0; i + tokens.Length <= folded.Length; i++)
            {
                var hit = true;
                for (var k = 0; k < tokens.Length && hit; k++)
                {
                    hit = folded[i + k] == tokens[k];
                }

                if (hit)
                {
                    var start = words[i].Start;
                    var end = words[i + tokens.Length - 1].Start + words[i + tokens.Length - 1].Text.Length;
                    yield return (text[start..end], start, value);
                }
            }
        }
    }

    /// <summary>The words of a text (letters, digits, inner dashes) with their positions.</summary>
    private static List<(string Text, int Start)> Words(string text)
    {
        var words = new List<(string, int)>();
        var i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsLetterOrDigit(text[i]))
            {
                i++;
            }

            words.Add((text[start..i], start));
        }

        return words;
    }
}
