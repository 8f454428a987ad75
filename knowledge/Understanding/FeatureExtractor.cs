namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// Turns a message into a sparse, L2-normalised feature vector of hashed features: word stems, pairs of
/// neighbouring stems, and character 3- to 5-grams inside each word. The n-grams carry the matching of
/// typos, compounds ("exportfinansiering") and inflections that stems alone miss.
/// </summary>
public static class FeatureExtractor
{
    /// <summary>Size of the hashed feature space (a power of two).</summary>
    public const int Dimensions = 1 << 20;

    private const float WordWeight = 1.0f;
    private const float PairWeight = 0.7f;
    private const float GramWeight = 0.35f;

    /// <summary>The features of a text, as (index, value) pairs with unit length.</summary>
    public static SparseVector Extract(string text) => FromTokens(TextNormalizer.Tokens(text));

    /// <summary>The features of already folded word tokens (see <see cref="TextNormalizer.Tokens"/>).</summary>
    public static SparseVector FromTokens(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var counts = new Dictionary<int, float>();
        string? previous = null;
        Span<char> padded = stackalloc char[66];
        foreach (var token in tokens)
        {
            if (token.Length > 64)
            {
                continue;
            }

            var stem = TextNormalizer.Stem(token);
            Add(counts, Hash("w:", stem), WordWeight);
            if (previous is not null)
            {
                Add(counts, Hash2(previous, stem), PairWeight);
            }

            previous = stem;
            padded[0] = '<';
            token.AsSpan().CopyTo(padded[1..]);
            padded[token.Length + 1] = '>';
            var word = padded[..(token.Length + 2)];
            for (var n = 3; n <= 5; n++)
            {
                for (var i = 0; i + n <= word.Length; i++)
                {
                    Add(counts, HashGram(word.Slice(i, n)), GramWeight);
                }
            }
        }

        return SparseVector.FromCounts(counts);
    }

    private static void Add(Dictionary<int, float> counts, int index, float weight) =>
        counts[index] = counts.GetValueOrDefault(index) + weight;

    private static int Hash(string prefix, string value) => Finish(Fnv(Fnv(2166136261, prefix), value));

    private static int Hash2(string first, string second) => Finish(Fnv(Fnv(Fnv(2166136261, "p:"), first), "_" + second));

    private static int HashGram(ReadOnlySpan<char> gram)
    {
        var h = Fnv(2166136261, "g:");
        foreach (var c in gram)
        {
            h = (h ^ c) * 16777619;
        }

        return Finish(h);
    }

    private static uint Fnv(uint h, string value)
    {
        foreach (var c in value)
        {
            h = (h ^ c) * 16777619;
        }

        return h;
    }

    private static int Finish(uint h) => (int)(h & (Dimensions - 1));
}

/// <summary>A sparse vector: parallel arrays of indices and values.</summary>
public readonly record struct SparseVector(int[] Indices, float[] Values)
{
    /// <summary>Builds a unit-length vector from accumulated counts, damping repeats (1 + log count).</summary>
    public static SparseVector FromCounts(Dictionary<int, float> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var indices = new int[counts.Count];
        var values = new float[counts.Count];
        var i = 0;
        double norm = 0;
        foreach (var (index, count) in counts)
        {
            var value = count <= 1 ? count : 1 + MathF.Log(count);
            indices[i] = index;
            values[i] = value;
            norm += value * value;
            i++;
        }

        if (norm > 0)
        {
            var scale = (float)(1 / Math.Sqrt(norm));
            for (var k = 0; k < values.Length; k++)
            {
                values[k] *= scale;
            }
        }

        return new SparseVector(indices, values);
    }

    /// <summary>True when the text had no features at all.</summary>
    public bool IsEmpty => Indices.Length == 0;
}
