using System.Text.Json.Nodes;
using ExportCenter.Knowledge.Evaluation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;
using Xunit.Abstractions;
using KB = ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Tests;

/// <summary>
/// The quality bar on labelled questions the classifier never trained on: the dev set (tests/eval/dev.jsonl, for
/// measuring only) and the team's own independently written hold-out set (tests/eval/own-holdout.jsonl).
/// </summary>
public sealed class QualityTests(ITestOutputHelper output)
{
    private static readonly Lazy<(KB.KnowledgeBase Kb, MessageUnderstanding Pipeline)> Trained = new(() =>
    {
        var kb = KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 11, 25), TimeSpan.FromDays(365)).KnowledgeBase;
        return (kb, MessageUnderstanding.Train(kb));
    });

    public static TheoryData<string> Sets => new()
    {
        Path.Combine(RepositoryPaths.Eval, "dev.jsonl"),
        Path.Combine(RepositoryPaths.Eval, "own-holdout.jsonl"),
    };

    [Theory]
    [MemberData(nameof(Sets))]
    public void LabelledQuestions_MeetTheQualityBar(string file)
    {
        var (kb, pipeline) = Trained.Value;
        var judged = File.ReadLines(file)
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonNode.Parse(l)!.AsObject())
            .Select(row => (Label(row), pipeline.Understand(row["text"]!.GetValue<string>())))
            .ToList();

        var m = EvaluationMetrics.Compute(judged, t => kb.TopicsById[t].Route);
        output.WriteLine(Path.GetFileName(file));
        output.WriteLine(m.Describe());
        Measurements.Record($"quality {Path.GetFileName(file)}: top1 {m.TopicTop1:F3} top3 {m.TopicTop3:F3} primary {m.PrimaryOrganisation:F3} oos {m.OutOfScopeRecall:F3} rejected {m.InScopeRejected:F3} handoff {m.HandoffRecall:F3} smalltalk {m.SmalltalkRecall:F3} lang {m.Language:F3} answer-precision {m.AnswerPrecision:F3}");

        Assert.True(m.TopicTop1 >= 0.90, $"top-1 {m.TopicTop1:F3}");
        Assert.True(m.TopicTop3 >= 0.97, $"top-3 {m.TopicTop3:F3}");
        Assert.True(m.PrimaryOrganisation >= 0.95, $"primary organisation {m.PrimaryOrganisation:F3}");
        Assert.True(m.OutOfScopeRecall >= 0.90, $"out-of-scope recall {m.OutOfScopeRecall:F3}");
        Assert.True(m.InScopeRejected <= 0.05, $"in-scope rejected {m.InScopeRejected:F3}");
        Assert.True(m.HandoffRecall >= 0.90, $"handoff recall {m.HandoffRecall:F3}");
        Assert.True(m.SmalltalkRecall >= 0.90, $"smalltalk recall {m.SmalltalkRecall:F3}");
        Assert.True(m.Language >= 0.98, $"language {m.Language:F3}");
        Assert.True(m.AnswerPrecision >= 0.95, $"topic right when answering {m.AnswerPrecision:F3}");
    }

    private static EvaluationLabel Label(JsonObject row) => new(
        row["lang"]?.GetValue<string>(),
        row["action"]!.GetValue<string>(),
        row["topic"]?.GetValue<string>(),
        row["route"] is JsonArray r ? r.Select(x => x!.GetValue<string>()).ToList() : [],
        row["also"] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : []);
}
