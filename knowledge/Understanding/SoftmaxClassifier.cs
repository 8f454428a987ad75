namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// Multinomial logistic regression over sparse features, trained with AdaGrad. Weights are kept only for
/// features seen in training, so the model is small and a prediction touches a few hundred weights.
/// The outputs are softmax probabilities; cross-validation reports how well they are calibrated.
/// </summary>
public sealed class SoftmaxClassifier
{
    private readonly FeatureRows _rows;
    private readonly float[] _weights;
    private readonly float[] _bias;

    private SoftmaxClassifier(IReadOnlyList<string> labels, FeatureRows rows, float[] weights, float[] bias)
    {
        Labels = labels;
        _rows = rows;
        _weights = weights;
        _bias = bias;
    }

    /// <summary>The class labels, in the order of the probability vector.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Number of features with weights.</summary>
    public int FeatureCount => _rows.Count;

    /// <summary>Trains a model on labelled examples.</summary>
    public static SoftmaxClassifier Train(IReadOnlyList<(SparseVector Features, int Label)> examples, IReadOnlyList<string> labels, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(labels);
        options ??= new TrainingOptions();
        var classes = labels.Count;

        // Give every feature seen in training a dense row, so the training loop indexes arrays only.
        var rows = new Dictionary<int, int>();
        var dense = examples.Select(e => (Rows: e.Features.Indices.Select(i => rows.TryGetValue(i, out var r) ? r : rows[i] = rows.Count).ToArray(), e.Features.Values, e.Label)).ToArray();
        var weights = new float[rows.Count * classes];
        var squares = new float[rows.Count * classes];
        var bias = new float[classes];
        var biasSquares = new float[classes];
        var gradient = new float[classes];
        var order = Enumerable.Range(0, dense.Length).ToArray();
        var random = new Random(options.Seed);
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                var (x, values, y) = dense[index];
                bias.CopyTo(gradient, 0);
                for (var k = 0; k < x.Length; k++)
                {
                    var row = x[k] * classes;
                    for (var c = 0; c < classes; c++)
                    {
                        gradient[c] += weights[row + c] * values[k];
                    }
                }

                Softmax(gradient);
                gradient[y] -= 1f;
                for (var c = 0; c < classes; c++)
                {
                    biasSquares[c] += gradient[c] * gradient[c];
                    bias[c] -= options.LearningRate * gradient[c] / MathF.Sqrt(biasSquares[c] + 1e-6f);
                }

                for (var k = 0; k < x.Length; k++)
                {
                    var row = x[k] * classes;
                    for (var c = 0; c < classes; c++)
                    {
                        var g = (gradient[c] * values[k]) + (options.L2 * weights[row + c]);
                        squares[row + c] += g * g;
                        weights[row + c] -= options.LearningRate * g / MathF.Sqrt(squares[row + c] + 1e-6f);
                    }
                }
            }
        }

        var featureOfRow = new int[rows.Count];
        foreach (var (feature, row) in rows)
        {
            featureOfRow[row] = feature;
        }

        return new SoftmaxClassifier(labels, FeatureRows.TryCreate(featureOfRow) ?? throw new ArgumentException("A feature index is negative.", nameof(examples)), weights, bias);
    }

    /// <summary>The class probabilities for a feature vector.</summary>
    public float[] Predict(SparseVector features) => Probabilities(Logits(features));

    /// <summary>The raw class scores (logits) for a feature vector.</summary>
    public float[] Logits(SparseVector features)
    {
        var classes = Labels.Count;
        var scores = new float[classes];
        _bias.CopyTo(scores, 0);
        for (var k = 0; k < features.Indices.Length; k++)
        {
            if (_rows.TryGetRow(features.Indices[k], out var r))
            {
                var row = r * classes;
                var value = features.Values[k];
                for (var c = 0; c < classes; c++)
                {
                    scores[c] += _weights[row + c] * value;
                }
            }
        }

        return scores;
    }

    /// <summary>Writes the model (labels, the feature of every row, weights, biases) for <see cref="Read"/>.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(Labels.Count);
        foreach (var label in Labels)
        {
            writer.Write(label);
        }

        writer.Write(_rows.Count);
        foreach (var feature in _rows.FeatureOfRow)
        {
            writer.Write(feature);
        }

        ModelData.WriteFloats(writer, _weights);
        ModelData.WriteFloats(writer, _bias);
    }

    /// <summary>Reads a model <see cref="Write"/> wrote; throws <see cref="InvalidDataException"/> when the data cannot be one.</summary>
    internal static SoftmaxClassifier Read(BinaryReader reader)
    {
        var labels = new string[ModelData.ReadCount(reader, 1 << 16, itemBytes: 1)];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = reader.ReadString();
        }

        var count = ModelData.ReadCount(reader, FeatureExtractor.Dimensions, itemBytes: sizeof(int));
        var featureOfRow = new int[count];
        for (var row = 0; row < count; row++)
        {
            featureOfRow[row] = reader.ReadInt32();
        }

        var rows = FeatureRows.TryCreate(featureOfRow) ?? throw new InvalidDataException("A feature is negative or has two rows.");

        ModelData.EnsureAvailable(reader, (long)count * labels.Length * sizeof(float));
        var weights = new float[count * labels.Length];
        ModelData.ReadFloats(reader, weights);
        var bias = new float[labels.Length];
        ModelData.ReadFloats(reader, bias);

        return new SoftmaxClassifier(labels, rows, weights, bias);
    }

    /// <summary>
    /// Softmax of logits. A <paramref name="temperature"/> below 1 sharpens the probabilities, above 1
    /// softens them (temperature scaling, used to calibrate the reported confidence).
    /// </summary>
    public static float[] Probabilities(float[] logits, float temperature = 1f)
    {
        ArgumentNullException.ThrowIfNull(logits);
        var p = logits.Select(x => x / temperature).ToArray();
        Softmax(p);
        return p;
    }

    private static void Softmax(float[] scores)
    {
        var max = scores.Max();
        float sum = 0;
        for (var c = 0; c < scores.Length; c++)
        {
            scores[c] = MathF.Exp(scores[c] - max);
            sum += scores[c];
        }

        for (var c = 0; c < scores.Length; c++)
        {
            scores[c] /= sum;
        }
    }
}

/// <summary>Training settings of <see cref="SoftmaxClassifier"/>.</summary>
public sealed record TrainingOptions
{
    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 25;

    /// <summary>AdaGrad base learning rate.</summary>
    public float LearningRate { get; init; } = 0.5f;

    /// <summary>L2 regularisation strength.</summary>
    public float L2 { get; init; } = 1e-4f;

    /// <summary>Seed of the example shuffling, so training is repeatable.</summary>
    public int Seed { get; init; } = 17;
}
