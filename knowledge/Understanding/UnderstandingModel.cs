using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using KB = ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// What training on a knowledge base yields: the topic and intent classifiers for Swedish and English and for the
/// region's other languages, and the indexes of the topic examples that the out-of-scope check compares with. Training
/// is deterministic (fixed seed, one thread), so a model written with <see cref="UnderstandingModelFile"/> and read back
/// decides exactly as the one trained; <see cref="Key"/> says what it was trained from.
/// </summary>
public sealed class UnderstandingModel
{
    /// <summary>
    /// The layout of what <see cref="KeyFor"/> hashes and of the model file. Raise it when either changes in a way the
    /// assembly's own identity (also hashed) would not show, e.g. a file read by another build of the same code.
    /// </summary>
    internal const int FormatVersion = 1;

    private const int NonTopicRepeat = 4;

    /// <summary>The settings of every classifier trained here; part of the key.</summary>
    private static readonly TrainingOptions Training = new();
    private static readonly string[] IntentLabels = ["topic", MessageUnderstanding.SmalltalkLabel, MessageUnderstanding.HandoffLabel, MessageUnderstanding.OutOfScopeLabel];

    internal UnderstandingModel(string key, SoftmaxClassifier topics, SoftmaxClassifier otherTopics, SoftmaxClassifier intent, SoftmaxClassifier otherIntent, SimilarityIndex topicExamples, SimilarityIndex otherExamples)
    {
        Key = key;
        Topics = topics;
        OtherTopics = otherTopics;
        Intent = intent;
        OtherIntent = otherIntent;
        TopicExamples = topicExamples;
        OtherExamples = otherExamples;
    }

    /// <summary>The hash of what the model was trained from and of the code that trained it (<see cref="KeyFor"/>).</summary>
    public string Key { get; }

    /// <summary>The class labels of the topic classifiers: every topic id, then smalltalk, handoff and out-of-scope.</summary>
    public IReadOnlyList<string> Labels => Topics.Labels;

    internal SoftmaxClassifier Topics { get; }

    internal SoftmaxClassifier OtherTopics { get; }

    internal SoftmaxClassifier Intent { get; }

    internal SoftmaxClassifier OtherIntent { get; }

    internal SimilarityIndex TopicExamples { get; }

    internal SimilarityIndex OtherExamples { get; }

    /// <summary>Trains the models on a knowledge base's phrasings (about a second on two cores, most of a cold start).</summary>
    /// <param name="knowledge">The loaded knowledge base.</param>
    /// <param name="exclude">Example phrasings to leave out of training (cross-validation folds).</param>
    public static UnderstandingModel Train(KB.KnowledgeBase knowledge, ISet<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        var labels = TrainingSet.Labels(knowledge);

        // The three training sets share most phrasings: each is featurised once.
        var featurised = new Dictionary<string, SparseVector>(StringComparer.Ordinal);
        List<(SparseVector Features, int Label)> Featurise(IEnumerable<(string Text, string Label)> set) => [.. Included(set, exclude)
            .Select(e => (featurised.TryGetValue(e.Text, out var f) ? f : featurised[e.Text] = FeatureExtractor.Extract(e.Text), labels.IndexOf(e.Label)))];
        var examples = Featurise(TrainingSet.Examples(knowledge));
        var classifier = SoftmaxClassifier.Train(examples, labels, Training);

        var firstIntent = labels.Count - IntentLabels.Length + 1;
        var intent = TrainIntent(examples, firstIntent);
        var topicExamples = new SimilarityIndex(examples.Where(e => e.Label < firstIntent).Select(e => e.Features));

        // Messages in the region's other languages are read by second models that also know the topics' curated
        // terms and the intents' phrasings in those languages (the first ones stay as Swedish and English taught them).
        var termExamples = Featurise(TrainingSet.Examples(knowledge, terms: true));
        var phrasingExamples = Featurise(TrainingSet.Examples(knowledge, otherPhrasings: true));
        var otherLanguages = termExamples.Count == examples.Count ? classifier : SoftmaxClassifier.Train(termExamples, labels, Training);
        var otherIntent = phrasingExamples.Count == examples.Count ? intent : TrainIntent(phrasingExamples, firstIntent);
        var otherExamples = termExamples.Count == examples.Count ? topicExamples : new SimilarityIndex(termExamples.Where(e => e.Label < firstIntent).Select(e => e.Features));
        return new UnderstandingModel(KeyFor(knowledge, exclude), classifier, otherLanguages, intent, otherIntent, topicExamples, otherExamples);
    }

    /// <summary>
    /// The key of the model <see cref="Train"/> would train: a SHA-256 over everything the trained weights depend on.
    /// That is the labels and every phrasing of the three training sets in training order; the training settings
    /// (epochs, learning rate, L2, seed, the repeat of the intents' examples, the feature space); the format version;
    /// the identity of this assembly (the feature extractor and the training code, whose deterministic build gives a
    /// new identity to any change); and the runtime and processor architecture, whose floating-point functions
    /// (<see cref="MathF.Exp"/>) the weights pass through. An edit that changes no phrasing (an answer's wording, a
    /// link) keeps the key.
    /// </summary>
    public static string KeyFor(KB.KnowledgeBase knowledge, ISet<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text)
        {
            // Length-prefixed, so that no two different lists of texts hash alike.
            Span<byte> length = stackalloc byte[sizeof(int)];
            BinaryPrimitives.WriteInt32LittleEndian(length, text.Length);
            hash.AppendData(length);
            hash.AppendData(Encoding.UTF8.GetBytes(text));
        }

        Add(string.Create(CultureInfo.InvariantCulture, $"format {FormatVersion}"));
        Add(typeof(UnderstandingModel).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add($"{RuntimeInformation.FrameworkDescription} {RuntimeInformation.ProcessArchitecture}");
        Add(string.Create(CultureInfo.InvariantCulture, $"epochs {Training.Epochs} rate {Training.LearningRate:R} l2 {Training.L2:R} seed {Training.Seed} repeat {NonTopicRepeat} dimensions {FeatureExtractor.Dimensions}"));
        foreach (var label in TrainingSet.Labels(knowledge))
        {
            Add(label);
        }

        foreach (var set in new[] { TrainingSet.Examples(knowledge), TrainingSet.Examples(knowledge, terms: true), TrainingSet.Examples(knowledge, otherPhrasings: true) })
        {
            Add("set");
            foreach (var (text, label) in Included(set, exclude))
            {
                Add(text);
                Add(label);
            }
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static IEnumerable<(string Text, string Label)> Included(IEnumerable<(string Text, string Label)> set, ISet<string>? exclude) =>
        exclude is null ? set : set.Where(e => !exclude.Contains(e.Text));

    /// <summary>
    /// The second model only tells topic questions from smalltalk, requests for a person and out-of-scope
    /// messages. Those three have far fewer examples than the topics together, so they are repeated to give
    /// the groups a comparable weight.
    /// </summary>
    private static SoftmaxClassifier TrainIntent(List<(SparseVector Features, int Label)> examples, int firstIntent) =>
        SoftmaxClassifier.Train(
            examples.SelectMany(e => e.Label < firstIntent
                ? [(e.Features, 0)]
                : Enumerable.Repeat((e.Features, e.Label - firstIntent + 1), NonTopicRepeat)).ToList(),
            IntentLabels,
            Training);
}
