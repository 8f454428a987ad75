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

    /// <summary>
    /// Phrases looked up by their first token, built once: matching a text then reads each word once instead of
    /// trying every phrase at every word (the country names alone are several hundred).
    /// </summary>
    public sealed class PhraseIndex
    {
        private readonly (string[] Tokens, string Value)[] _phrases;
        private readonly Dictionary<string, int[]> _byFirstToken;

        public PhraseIndex(IEnumerable<(string[] Tokens, string Value)> phrases)
        {
            ArgumentNullException.ThrowIfNull(phrases);
            _phrases = [.. phrases.Where(p => p.Tokens.Length > 0)];
            _byFirstToken = Enumerable.Range(0, _phrases.Length)
                .GroupBy(i => _phrases[i].Tokens[0], StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        }

        /// <summary>The matches, in the order of the phrases given, then by position (as trying each phrase in turn would give).</summary>
        public IEnumerable<(string Text, int Start, string Value)> Match(string text)
        {
            ArgumentNullException.ThrowIfNull(text);
            var words = Words(text);
            var folded = words.Select(w => TextNormalizer.Fold(w.Text).Trim()).ToArray();
            var hits = new List<(int Phrase, int Word)>();
            for (var i = 0; i < folded.Length; i++)
            {
                if (!_byFirstToken.TryGetValue(folded[i], out var candidates))
                {
                    continue;
                }

                foreach (var phrase in candidates)
                {
                    var tokens = _phrases[phrase].Tokens;
                    var hit = i + tokens.Length <= folded.Length;
                    for (var k = 1; k < tokens.Length && hit; k++)
                    {
                        hit = folded[i + k] == tokens[k];
                    }

                    if (hit)
                    {
                        hits.Add((phrase, i));
                    }
                }
            }

            hits.Sort();
            return hits.Select(h =>
            {
                var last = words[h.Word + _phrases[h.Phrase].Tokens.Length - 1];
                var start = words[h.Word].Start;
                return (text[start..(last.Start + last.Text.Length)], start, _phrases[h.Phrase].Value);
            });
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
