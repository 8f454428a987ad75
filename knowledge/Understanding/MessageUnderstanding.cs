using System.Text.RegularExpressions;
using ExportCenter.Knowledge.Entities;
using KB = ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// The understanding pipeline: language, entities, topic classification with a confidence, and one
/// decision per message (answer, clarify, handoff, out-of-scope, smalltalk). The classifier is trained at
/// start-up on the knowledge base's own example phrasings (and intents.yaml for the non-topic outcomes).
/// </summary>
public sealed partial class MessageUnderstanding
{
    /// <summary>Label of the smalltalk class.</summary>
    public const string SmalltalkLabel = "smalltalk";

    /// <summary>Label of the requests-for-a-person class.</summary>
    public const string HandoffLabel = "handoff";

    /// <summary>Label of the out-of-scope class.</summary>
    public const string OutOfScopeLabel = "out-of-scope";

    private readonly KB.KnowledgeBase _knowledge;
    private readonly SoftmaxClassifier _classifier;
    private readonly EntityExtractor? _entities;
    private readonly int _smalltalk;
    private readonly int _handoff;
    private readonly int _outOfScope;

    private MessageUnderstanding(KB.KnowledgeBase knowledge, SoftmaxClassifier classifier, EntityExtractor? entities, DecisionPolicy policy)
    {
        _knowledge = knowledge;
        _classifier = classifier;
        _entities = entities;
        Policy = policy;
        _smalltalk = IndexOf(SmalltalkLabel);
        _handoff = IndexOf(HandoffLabel);
        _outOfScope = IndexOf(OutOfScopeLabel);
    }

    /// <summary>The thresholds that turn probabilities into a decision.</summary>
    public DecisionPolicy Policy { get; }

    /// <summary>Number of features the trained classifier uses.</summary>
    public int FeatureCount => _classifier.FeatureCount;

    /// <summary>Trains the pipeline on a knowledge base.</summary>
    /// <param name="knowledge">The loaded knowledge base.</param>
    /// <param name="entities">The entity recognisers, or null to skip entities (e.g. in cross-validation).</param>
    /// <param name="policy">Decision thresholds; the defaults were chosen by cross-validation.</param>
    /// <param name="exclude">Example phrasings to leave out of training (cross-validation folds).</param>
    public static MessageUnderstanding Train(KB.KnowledgeBase knowledge, EntityExtractor? entities = null, DecisionPolicy? policy = null, ISet<string>? exclude = null)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        var labels = TrainingSet.Labels(knowledge);
        var examples = TrainingSet.Examples(knowledge)
            .Where(e => exclude is null || !exclude.Contains(e.Text))
            .Select(e => (FeatureExtractor.Extract(e.Text), labels.IndexOf(e.Label)))
            .ToList();
        var classifier = SoftmaxClassifier.Train(examples, labels);
        return new MessageUnderstanding(knowledge, classifier, entities, policy ?? new DecisionPolicy());
    }

    /// <summary>Understands one message.</summary>
    public MessageUnderstandingResult Understand(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var language = LanguageDetector.Detect(text);
        var entities = _entities?.Extract(text, language == "sv" ? "sv" : "en") ?? [];
        var features = FeatureExtractor.Extract(text);
        if (features.IsEmpty)
        {
            return Result(language, MessageAction.Clarify, null, 0, [], entities);
        }

        var p = _classifier.Predict(features);
        var topics = Enumerable.Range(0, p.Length)
            .Where(i => i != _smalltalk && i != _handoff && i != _outOfScope)
            .OrderByDescending(i => p[i])
            .Take(3)
            .Select(i => new TopicCandidate(_classifier.Labels[i], p[i]))
            .ToList();
        var best = topics[0];
        var second = topics.Count > 1 ? topics[1].Score : 0;
        var folded = TextNormalizer.Fold(text);
        var evidentTopic = best.Score >= Policy.EvidentTopic ? best.Topic : null;

        if (AsksForPerson(folded) || p[_handoff] >= Policy.Intent && p[_handoff] >= best.Score)
        {
            return Result(language, MessageAction.Handoff, evidentTopic, Math.Max(p[_handoff], best.Score), topics, entities);
        }

        if (p[_smalltalk] >= Policy.Intent && p[_smalltalk] >= best.Score)
        {
            return Result(language, MessageAction.Smalltalk, null, p[_smalltalk], topics, entities);
        }

        if (p[_outOfScope] >= Policy.Intent && p[_outOfScope] >= best.Score)
        {
            return Result(language, MessageAction.OutOfScope, null, p[_outOfScope], topics, entities);
        }

        if (best.Score >= Policy.Answer && best.Score - second >= Policy.Margin)
        {
            return Result(language, MessageAction.Answer, best.Topic, best.Score, topics, entities);
        }

        var strongest = new[] { (MessageAction.Smalltalk, p[_smalltalk]), (MessageAction.OutOfScope, p[_outOfScope]) }.MaxBy(x => x.Item2);
        if (strongest.Item2 > topics.Sum(t => t.Score))
        {
            return Result(language, strongest.Item1, null, strongest.Item2, topics, entities);
        }

        return Result(language, MessageAction.Clarify, best.Topic, best.Score, topics, entities);
    }

    /// <summary>A topic by id, or null.</summary>
    public KB.Topic? Topic(string? id) => id is null ? null : _knowledge.TopicsById.GetValueOrDefault(id);

    private MessageUnderstandingResult Result(string language, MessageAction action, string? topic, float confidence, IReadOnlyList<TopicCandidate> candidates, IReadOnlyList<Entity> entities) =>
        new(language, action, topic, topic is null ? [] : _knowledge.TopicsById[topic].Route, confidence, candidates, entities);

    private int IndexOf(string label) => _classifier.Labels.ToList().IndexOf(label);

    /// <summary>Explicit requests for a person, in Swedish or English (folded text).</summary>
    private static bool AsksForPerson(string folded) => PersonRequest().IsMatch(folded);

    [GeneratedRegex(
        @"\b((prata|tala|snacka|chatta) med (en |nagon |riktig |verklig )*(manniska|person|radgivare|handlaggare|nagon|expert)" +
        @"|ring(a)? (upp )?mig|kan (ni|nagon|du) (ringa|kontakta|hora av)|hor av (er|dig)|vill bli (uppringd|kontaktad)|kontakta mig|boka (ett )?mote|en manniska|riktig person" +
        @"|(talk|speak|chat) (to|with) (a |an |some |the |real |actual )*(human|person|someone|somebody|advisor|adviser|agent|expert|people)" +
        @"|call me|contact me|get in touch|book a meeting|real person|a human)\b",
        RegexOptions.CultureInvariant)]
    private static partial Regex PersonRequest();
}

/// <summary>What the bot does with a message.</summary>
public enum MessageAction
{
    /// <summary>Answer with the curated answer of one topic.</summary>
    Answer,

    /// <summary>Ask which of two or three topics is meant.</summary>
    Clarify,

    /// <summary>Hand over to a person.</summary>
    Handoff,

    /// <summary>Not about exporting: say what the bot helps with.</summary>
    OutOfScope,

    /// <summary>Greetings, thanks, who-are-you.</summary>
    Smalltalk,
}

/// <summary>A candidate topic and its probability.</summary>
public sealed record TopicCandidate(string Topic, float Score);

/// <summary>The outcome of understanding one message.</summary>
public sealed record MessageUnderstandingResult(
    string Language,
    MessageAction Action,
    string? Topic,
    IReadOnlyList<string> Route,
    float Confidence,
    IReadOnlyList<TopicCandidate> Candidates,
    IReadOnlyList<Entity> Entities);

/// <summary>Thresholds that turn the classifier's probabilities into a decision.</summary>
public sealed record DecisionPolicy
{
    /// <summary>Least probability of the best topic for an answer.</summary>
    public float Answer { get; init; } = 0.45f;

    /// <summary>Least lead of the best topic over the second for an answer.</summary>
    public float Margin { get; init; } = 0.15f;

    /// <summary>Least probability for smalltalk, handoff or out-of-scope.</summary>
    public float Intent { get; init; } = 0.4f;

    /// <summary>Least probability for a topic to count as evident in a handoff.</summary>
    public float EvidentTopic { get; init; } = 0.3f;
}
