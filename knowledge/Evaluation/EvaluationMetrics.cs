using System.Globalization;
using System.Text;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Evaluation;

/// <summary>A labelled line: what the right decision is (the evaluation contract in topics.md).</summary>
public sealed record EvaluationLabel(string? Language, string Action, string? Topic, IReadOnlyList<string> Route, IReadOnlyList<string> Also);

/// <summary>The quality figures the project is held to, computed from labelled lines and the pipeline's results.</summary>
public sealed record EvaluationMetrics(
    int Lines,
    double TopicTop1,
    double TopicTop3,
    double PrimaryOrganisation,
    double OutOfScopeRecall,
    double InScopeRejected,
    double HandoffRecall,
    double SmalltalkRecall,
    double Language,
    double AnswerPrecision,
    double Answered,
    double ActionAccuracy,
    double CalibrationError)
{
    /// <summary>Computes the figures. Ratios over an empty group are NaN.</summary>
    public static EvaluationMetrics Compute(IReadOnlyList<(EvaluationLabel Label, MessageUnderstandingResult Result)> lines, Func<string, IReadOnlyList<string>> routeOf)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(routeOf);
        var answers = lines.Where(l => l.Label.Action == "answer" && l.Label.Topic is not null).ToList();
        bool Right(EvaluationLabel label, string? topic) => topic is not null && (topic == label.Topic || label.Also.Contains(topic));
        var inScope = lines.Where(l => l.Label.Action is "answer" or "clarify").ToList();
        var chosenAnswers = lines.Where(l => l.Result.Action == MessageAction.Answer && l.Label.Topic is not null).ToList();
        return new EvaluationMetrics(
            Lines: lines.Count,
            TopicTop1: Ratio(answers, l => Right(l.Label, FirstOf(l.Result.Candidates)?.Topic)),
            TopicTop3: Ratio(answers, l => l.Result.Candidates.Take(3).Any(c => Right(l.Label, c.Topic))),
            PrimaryOrganisation: Ratio(answers, l => FirstOf(l.Result.Candidates) is { } c && FirstOf(routeOf(c.Topic)) == FirstOf(l.Label.Route)),
            OutOfScopeRecall: Ratio(lines.Where(l => l.Label.Action == "out-of-scope").ToList(), l => l.Result.Action == MessageAction.OutOfScope),
            InScopeRejected: Ratio(inScope, l => l.Result.Action == MessageAction.OutOfScope),
            HandoffRecall: Ratio(lines.Where(l => l.Label.Action == "handoff").ToList(), l => l.Result.Action == MessageAction.Handoff),
            SmalltalkRecall: Ratio(lines.Where(l => l.Label.Action == "smalltalk").ToList(), l => l.Result.Action == MessageAction.Smalltalk),
            Language: Ratio(lines.Where(l => l.Label.Language is not null).ToList(), l => l.Result.Language == l.Label.Language),
            AnswerPrecision: Ratio(chosenAnswers, l => Right(l.Label, l.Result.Topic)),
            Answered: Ratio(answers, l => l.Result.Action == MessageAction.Answer),
            ActionAccuracy: Ratio(lines, l => ActionName(l.Result.Action) == l.Label.Action),
            CalibrationError: ExpectedCalibrationError(answers.Select(l => (FirstOf(l.Result.Candidates)?.Score ?? 0, Right(l.Label, FirstOf(l.Result.Candidates)?.Topic))).ToList()));
    }

    /// <summary>The contract's name of an action.</summary>
    public static string ActionName(MessageAction action) => action switch
    {
        MessageAction.Answer => "answer",
        MessageAction.Clarify => "clarify",
        MessageAction.Handoff => "handoff",
        MessageAction.OutOfScope => "out-of-scope",
        MessageAction.Smalltalk => "smalltalk",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown action."),
    };

    /// <summary>The figures in reading order, each with its name and the target it is held to.</summary>
    public IReadOnlyList<(string Name, double Value, string Target)> Figures =>
    [
        ("topic top-1 (answer lines)", TopicTop1, ">= 0.90"),
        ("topic top-3 (answer lines)", TopicTop3, ">= 0.97"),
        ("primary organisation (answer lines)", PrimaryOrganisation, ">= 0.95"),
        ("out-of-scope recall", OutOfScopeRecall, ">= 0.90"),
        ("in-scope rejected as out-of-scope", InScopeRejected, "<= 0.05"),
        ("requests for a person recognised", HandoffRecall, ">= 0.90"),
        ("smalltalk recognised", SmalltalkRecall, ">= 0.90"),
        ("language", Language, ">= 0.98"),
        ("topic right when answering", AnswerPrecision, ">= 0.95"),
        ("answered without a clarify (answer lines)", Answered, ">= 0.85"),
        ("action accuracy (all lines)", ActionAccuracy, "(info)"),
        ("confidence calibration error (ECE)", CalibrationError, "(info, lower is better)"),
    ];

    /// <summary>A readable table of the figures with the targets.</summary>
    public string Describe()
    {
        var b = new StringBuilder();
        b.AppendLine(CultureInfo.InvariantCulture, $"lines: {Lines}");
        foreach (var (name, value, target) in Figures)
        {
            b.AppendLine(CultureInfo.InvariantCulture, $"  {name,-40} {(double.IsNaN(value) ? "   n/a" : value.ToString("0.000", CultureInfo.InvariantCulture)),7}   target {target}");
        }

        return b.ToString();
    }

    /// <summary>
    /// Expected calibration error of the top topic's probability: the gap between confidence and accuracy,
    /// averaged over ten confidence bins weighted by their size.
    /// </summary>
    private static double ExpectedCalibrationError(List<(float Confidence, bool Right)> predictions)
    {
        if (predictions.Count == 0)
        {
            return double.NaN;
        }

        return predictions
            .GroupBy(p => Math.Min(9, (int)(p.Confidence * 10)))
            .Sum(bin => bin.Count() / (double)predictions.Count * Math.Abs(bin.Average(p => p.Confidence) - bin.Average(p => p.Right ? 1.0 : 0.0)));
    }

    private static T? FirstOf<T>(IReadOnlyList<T> list)
        where T : class => list.Count > 0 ? list[0] : null;

    private static double Ratio<T>(IReadOnlyList<T> items, Func<T, bool> good) =>
        items.Count == 0 ? double.NaN : items.Count(good) / (double)items.Count;
}
