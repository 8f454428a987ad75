namespace ExportCenter.Knowledge.Understanding;

/// <summary>One group of similar questions: the first one seen stands for the group.</summary>
/// <typeparam name="T">What each question comes with (a row of the caller's).</typeparam>
public sealed record QuestionGroup<T>(string Representative, IReadOnlyList<T> Members);

/// <summary>
/// Groups questions by how alike they are, with the same features the classifier reads (folded words, stems and their
/// character grams): a question joins the first group whose leading question is similar enough (cosine), else it starts a
/// group. Deterministic for the same input order; largest groups first.
/// </summary>
public static class QuestionGroups
{
    /// <summary>The least cosine similarity to join a group: rewordings of one question, not one subject.</summary>
    public const float DefaultThreshold = 0.45f;

    public static IReadOnlyList<QuestionGroup<T>> Group<T>(IEnumerable<T> items, Func<T, string> text, float threshold = DefaultThreshold)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(text);
        var leaders = new List<(string Text, Dictionary<int, float> Features, List<T> Members)>();
        foreach (var item in items)
        {
            var question = text(item);
            var features = FeatureExtractor.Extract(question);
            var best = -1;
            var bestScore = threshold;
            for (var g = 0; g < leaders.Count; g++)
            {
                var score = Cosine(features, leaders[g].Features);
                if (score >= bestScore)
                {
                    best = g;
                    bestScore = score;
                }
            }

            if (best >= 0)
            {
                leaders[best].Members.Add(item);
            }
            else
            {
                var map = new Dictionary<int, float>(features.Indices.Length);
                for (var i = 0; i < features.Indices.Length; i++)
                {
                    map[features.Indices[i]] = features.Values[i];
                }

                leaders.Add((question, map, [item]));
            }
        }

        return [.. leaders
            .Select((l, order) => (Group: new QuestionGroup<T>(l.Text, l.Members), Order: order))
            .OrderByDescending(g => g.Group.Members.Count)
            .ThenBy(g => g.Order)
            .Select(g => g.Group)];
    }

    private static float Cosine(SparseVector features, Dictionary<int, float> leader)
    {
        var dot = 0f;
        for (var i = 0; i < features.Indices.Length; i++)
        {
            if (leader.TryGetValue(features.Indices[i], out var value))
            {
                dot += value * features.Values[i];
            }
        }

        return dot;
    }
}
