namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// An inverted index over unit-length feature vectors that answers "how close is the nearest one?" (cosine
/// similarity) while touching only the examples that share a feature with the query. The postings of all features
/// sit in two flat arrays, each feature's in one run in the order of the examples: a few arrays instead of a list per
/// feature (tens of thousands of them), for the same sums in the same order.
/// </summary>
public sealed class SimilarityIndex
{
    private readonly Dictionary<int, (int Start, int Length)> _postings;
    private readonly int[] _examples;
    private readonly float[] _values;
    private readonly int _count;

    /// <summary>Indexes the vectors.</summary>
    public SimilarityIndex(IEnumerable<SparseVector> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        var all = vectors.ToList();

        // First how many postings each feature has, so that each gets its run; then the runs are filled example by example.
        var lengths = new Dictionary<int, int>();
        foreach (var vector in all)
        {
            foreach (var index in vector.Indices)
            {
                lengths[index] = lengths.GetValueOrDefault(index) + 1;
            }
        }

        _postings = new Dictionary<int, (int Start, int Length)>(lengths.Count);
        var start = 0;
        foreach (var (feature, length) in lengths)
        {
            _postings[feature] = (start, 0);
            start += length;
        }

        _examples = new int[start];
        _values = new float[start];
        for (var example = 0; example < all.Count; example++)
        {
            var vector = all[example];
            for (var k = 0; k < vector.Indices.Length; k++)
            {
                var (first, filled) = _postings[vector.Indices[k]];
                _examples[first + filled] = example;
                _values[first + filled] = vector.Values[k];
                _postings[vector.Indices[k]] = (first, filled + 1);
            }
        }

        _count = all.Count;
    }

    private SimilarityIndex(Dictionary<int, (int Start, int Length)> postings, int[] examples, float[] values, int count)
    {
        _postings = postings;
        _examples = examples;
        _values = values;
        _count = count;
    }

    /// <summary>The largest cosine similarity between the query and an indexed vector (0 when none shares a feature).</summary>
    public float MaxCosine(SparseVector query)
    {
        if (_count == 0)
        {
            return 0;
        }

        var rented = System.Buffers.ArrayPool<float>.Shared.Rent(_count);
        var scores = rented.AsSpan(0, _count);
        scores.Clear();
        try
        {
            for (var k = 0; k < query.Indices.Length; k++)
            {
                if (_postings.TryGetValue(query.Indices[k], out var run))
                {
                    var q = query.Values[k];
                    for (var i = run.Start; i < run.Start + run.Length; i++)
                    {
                        scores[_examples[i]] += q * _values[i];
                    }
                }
            }

            var max = float.MinValue;
            foreach (var score in scores)
            {
                max = Math.Max(max, score);
            }

            return max;
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>Writes the index (the number of vectors, each feature with its run, then the postings) for <see cref="Read"/>.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(_count);
        writer.Write(_postings.Count);
        foreach (var (feature, (start, length)) in _postings)
        {
            writer.Write(feature);
            writer.Write(start);
            writer.Write(length);
        }

        writer.Write(_examples.Length);
        foreach (var example in _examples)
        {
            writer.Write(example);
        }

        ModelData.WriteFloats(writer, _values);
    }

    /// <summary>Reads an index <see cref="Write"/> wrote; throws <see cref="InvalidDataException"/> when the data cannot be one.</summary>
    internal static SimilarityIndex Read(BinaryReader reader)
    {
        var count = ModelData.ReadCount(reader, int.MaxValue, itemBytes: 0);
        var features = ModelData.ReadCount(reader, FeatureExtractor.Dimensions, itemBytes: 3 * sizeof(int));
        var postings = new Dictionary<int, (int Start, int Length)>(features);
        for (var f = 0; f < features; f++)
        {
            var feature = reader.ReadInt32();
            var run = (Start: reader.ReadInt32(), Length: reader.ReadInt32());
            if (run.Start < 0 || run.Length < 0 || !postings.TryAdd(feature, run))
            {
                throw new InvalidDataException("A feature's postings are out of place.");
            }
        }

        var examples = new int[ModelData.ReadCount(reader, int.MaxValue, itemBytes: sizeof(int) + sizeof(float))];
        for (var i = 0; i < examples.Length; i++)
        {
            examples[i] = reader.ReadInt32();
            if ((uint)examples[i] >= (uint)count)
            {
                throw new InvalidDataException("A posting names an example the index does not have.");
            }
        }

        var values = new float[examples.Length];
        ModelData.ReadFloats(reader, values);
        if (postings.Values.Any(run => (long)run.Start + run.Length > examples.Length))
        {
            throw new InvalidDataException("A feature's postings run past the end.");
        }

        return new SimilarityIndex(postings, examples, values, count);
    }
}
