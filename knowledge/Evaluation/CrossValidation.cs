using ExportCenter.Knowledge.Understanding;
using KB = ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Evaluation;

/// <summary>
/// k-fold cross-validation over the knowledge base's own example phrasings: each fold is held out, the
/// pipeline is trained on the rest, and the held-out phrasings are judged as labelled lines. Topic titles
/// always stay in training (they are not phrasings a user typed).
/// </summary>
public static class CrossValidation
{
    /// <summary>Runs the folds and returns the figures over all held-out phrasings.</summary>
    public static EvaluationMetrics Run(KB.KnowledgeBase knowledge, int folds, DecisionPolicy? policy = null, int seed = 7) =>
        Run(knowledge, folds, [policy ?? new DecisionPolicy()], seed)[0];

    /// <summary>
    /// Runs the folds once and judges the held-out phrasings under each policy (the models are trained once per fold;
    /// only the thresholds differ), so thresholds can be chosen on the same held-out lines.
    /// </summary>
    public static IReadOnlyList<EvaluationMetrics> Run(KB.KnowledgeBase knowledge, int folds, IReadOnlyList<DecisionPolicy> policies, int seed = 7)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var assigned = Assign(knowledge, folds, seed);
        var judged = policies.Select(_ => new List<(EvaluationLabel, MessageUnderstandingResult)>()).ToList();
        for (var fold = 0; fold < folds; fold++)
        {
            var heldOut = assigned.Where(a => a.Fold == fold).ToList();
            var trained = MessageUnderstanding.Train(knowledge, entities: null, policies[0], exclude: heldOut.Select(h => h.Text).ToHashSet(StringComparer.Ordinal));
            for (var p = 0; p < policies.Count; p++)
            {
                var pipeline = p == 0 ? trained : trained.WithPolicy(policies[p]);
                foreach (var (text, label, _) in heldOut)
                {
                    judged[p].Add((LabelFor(knowledge, label, text), pipeline.Understand(text)));
                }
            }
        }

        return [.. judged.Select(lines => EvaluationMetrics.Compute(lines, topic => knowledge.TopicsById[topic].Route))];
    }

    /// <summary>
    /// The topic example phrasings that cross-validation classifies as another topic: each held out of training in its
    /// fold, with the topic it belongs to, the topic the classifier put first and that topic's probability. For the
    /// knowledge-base editors: phrasings two topics share, or a topic whose examples lean on another's words.
    /// </summary>
    public static IReadOnlyList<(string Text, string Topic, string ConfusedWith, float Score)> Confusions(KB.KnowledgeBase knowledge, int folds = 5, int seed = 7)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        var assigned = Assign(knowledge, folds, seed);
        var confused = new List<(string, string, string, float)>();
        for (var fold = 0; fold < folds; fold++)
        {
            var heldOut = assigned.Where(a => a.Fold == fold && knowledge.TopicsById.ContainsKey(a.Label)).ToList();
            var trained = MessageUnderstanding.Train(knowledge, entities: null, new DecisionPolicy(), exclude: assigned.Where(a => a.Fold == fold).Select(h => h.Text).ToHashSet(StringComparer.Ordinal));
            foreach (var (text, label, _) in heldOut)
            {
                var candidates = trained.Understand(text).Candidates;
                if (candidates.Count > 0 && candidates[0] is var best && best.Topic != label)
                {
                    confused.Add((text, label, best.Topic, best.Score));
                }
            }
        }

        return [.. confused.OrderBy(c => c.Item2, StringComparer.Ordinal).ThenByDescending(c => c.Item4)];
    }

    /// <summary>
    /// The phrasings held out in turn, each with its fold: every label's phrasings shuffled by the seed and dealt round.
    /// Titles and the curated terms of other languages stay in training: they are not phrasings a company typed.
    /// </summary>
    private static List<(string Text, string Label, int Fold)> Assign(KB.KnowledgeBase knowledge, int folds, int seed)
    {
        var fixedInTraining = knowledge.Topics
            .SelectMany(t => new[] { t.Title.Sv, t.Title.En }.Concat(t.Terms.SelectMany(terms => terms.Value)))
            .ToHashSet(StringComparer.Ordinal);
        var random = new Random(seed);
        return [.. TrainingSet.Examples(knowledge).Where(e => !fixedInTraining.Contains(e.Text))
            .GroupBy(e => e.Label)
            .SelectMany(g => g.OrderBy(_ => random.Next()).Select((e, i) => (e.Text, e.Label, Fold: i % folds)))];
    }

    private static EvaluationLabel LabelFor(KB.KnowledgeBase knowledge, string label, string text)
    {
        var language = LanguageOf(knowledge, text);
        return label switch
        {
            MessageUnderstanding.SmalltalkLabel => new EvaluationLabel(language, "smalltalk", null, [], []),
            MessageUnderstanding.HandoffLabel => new EvaluationLabel(language, "handoff", null, [], []),
            MessageUnderstanding.OutOfScopeLabel => new EvaluationLabel(language, "out-of-scope", null, [], []),
            _ => new EvaluationLabel(language, "answer", label, knowledge.TopicsById[label].Route, []),
        };
    }

    private static string LanguageOf(KB.KnowledgeBase knowledge, string text)
    {
        var i = knowledge.Intents;
        var swedish = knowledge.Topics.Any(t => t.ExamplesSv.Contains(text))
            || i.SmalltalkSv.Contains(text) || i.HandoffSv.Contains(text) || i.OutOfScopeSv.Contains(text);
        return swedish ? "sv" : "en";
    }
}
