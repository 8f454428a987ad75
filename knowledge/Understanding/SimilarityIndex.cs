namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// An inverted index over unit-length feature vectors that answers "how close is the nearest one?" (cosine
/// similarity) while touching only the examples that share a feature with the query.
/// </summary>
public sealed class SimilarityIndex
{
    private readonly Dictionary<int, List<(int Example, float Value)>> _postings = [];
    private readonly int _count;

    /// <summary>Indexes the vectors.</summary>
    public SimilarityIndex(IEnumerable<SparseVector> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        foreach (var vector in vectors)
        {
            for (var k = 0; k < vector.Indices.Length; k++)
            {
                if (!_postings.TryGetValue(vector.Indices[k], out var list))
                {
                    list = [];
                    _postings[vector.Indices[k]] = list;
                }

                list.Add((_count, vector.Values[k]));
            }

            _count++;
        }
    }

    /// <summary>The largest cosine similarity between the query and an indexed vector (0 when none shares a feature).</summary>
    public float MaxCosine(SparseVector query)
    {
        var scores = new float[_count];
        for (var k = 0; k < query.Indices.Length; k++)
        {
            if (_postings.TryGetValue(query.Indices[k], out var list))
            {
                var q = query.Values[k];
                foreach (var (example, value) in list)
                {
                    scores[example] += q * value;
                }
            }
        }

        return _count == 0 ? 0 : scores.Max();
    }
}
