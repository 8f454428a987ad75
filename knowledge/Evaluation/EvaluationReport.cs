using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Evaluation;

/// <summary>One labelled line of an evaluation set with what the pipeline made of it.</summary>
/// <param name="Id">The line's id (or its line number when it has none).</param>
/// <param name="Text">The message as written.</param>
/// <param name="Label">The right decision.</param>
/// <param name="Result">The pipeline's decision.</param>
public sealed record JudgedLine(string Id, string Text, EvaluationLabel Label, MessageUnderstandingResult Result);

/// <summary>Top-1 topic figures of one topic over the answer lines. Ratios over an empty group are NaN.</summary>
/// <param name="Topic">The topic id.</param>
/// <param name="Support">Answer lines labelled with the topic.</param>
/// <param name="Predicted">Answer lines whose top-1 topic is this one.</param>
/// <param name="Correct">Answer lines labelled with the topic and predicted as it.</param>
public sealed record TopicRow(string Topic, int Support, int Predicted, int Correct)
{
    /// <summary>Of the lines predicted as this topic, the share labelled with it.</summary>
    public double Precision => Predicted == 0 ? double.NaN : Correct / (double)Predicted;

    /// <summary>Of the lines labelled with this topic, the share predicted as it.</summary>
    public double Recall => Support == 0 ? double.NaN : Correct / (double)Support;

    /// <summary>The harmonic mean of precision and recall; 0 when both are 0, NaN when either is undefined.</summary>
    public double F1 => double.IsNaN(Precision) || double.IsNaN(Recall) ? double.NaN
        : Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>The figures of one labelled language. Ratios over an empty group are NaN.</summary>
/// <param name="Language">The label's language code, <see cref="EvaluationReport.AllLanguages"/> for the total row.</param>
/// <param name="Lines">Lines labelled with the language.</param>
/// <param name="AnswerLines">Of those, lines labelled <c>answer</c> with a topic.</param>
/// <param name="TopicTop1">Share of answer lines whose top-1 topic is right.</param>
/// <param name="ActionAccuracy">Share of lines with the right action.</param>
/// <param name="OutOfScopeLines">Lines labelled <c>out-of-scope</c>.</param>
/// <param name="OutOfScopeRecall">Share of those the pipeline called out-of-scope.</param>
/// <param name="LanguageAccuracy">Share of lines whose detected language is the label's (nb and nn count as one).</param>
public sealed record LanguageRow(string Language, int Lines, int AnswerLines, double TopicTop1, double ActionAccuracy, int OutOfScopeLines, double OutOfScopeRecall, double LanguageAccuracy);

/// <summary>A line with the wrong action or the wrong top-1 topic.</summary>
public sealed record MissRow(
    string Id,
    string? Language,
    string DetectedLanguage,
    string Text,
    string ExpectedAction,
    string? ExpectedTopic,
    string GotAction,
    string? GotTopic,
    float Confidence,
    IReadOnlyList<TopicCandidate> TopCandidates);

/// <summary>Counts of expected (rows) against predicted (columns) labels.</summary>
/// <param name="Rows">The expected labels, in display order.</param>
/// <param name="Columns">The predicted labels, in display order.</param>
/// <param name="Counts">Counts[row][column].</param>
public sealed record ConfusionMatrix(IReadOnlyList<string> Rows, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<int>> Counts)
{
    /// <summary>The count of lines expected as <paramref name="row"/> and predicted as <paramref name="column"/>; 0 for unknown labels.</summary>
    public int Count(string row, string column)
    {
        var r = IndexOf(Rows, row);
        var c = IndexOf(Columns, column);
        return r < 0 || c < 0 ? 0 : Counts[r][c];
    }

    /// <summary>All lines expected as the row at <paramref name="rowIndex"/>.</summary>
    public int RowTotal(int rowIndex) => Counts[rowIndex].Sum();

    private static int IndexOf(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (labels[i] == label)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>
/// The breakdowns behind <c>eval --report</c>: per topic, per language, confusion matrices and the misses, as
/// pure functions of the judged lines. The top-1 topic is the first candidate, as in
/// <see cref="EvaluationMetrics.TopicTop1"/>; a candidate the label allows (<see cref="EvaluationLabel.Also"/>)
/// counts as the label's topic, so these tables add up to the same figure.
/// </summary>
public static class EvaluationReport
{
    /// <summary>The column (and row) of lines for which no topic was predicted.</summary>
    public const string NoTopic = "(none)";

    /// <summary>The language of lines whose label names none.</summary>
    public const string NoLanguage = "(none)";

    /// <summary>The language of the total row of <see cref="PerLanguage"/>.</summary>
    public const string AllLanguages = "(all)";

    /// <summary>The contract's actions, in the order the action matrix shows them.</summary>
    public static readonly IReadOnlyList<string> Actions = ["answer", "clarify", "handoff", "out-of-scope", "smalltalk"];

    /// <summary>Precision, recall and F1 of the top-1 topic per topic id, over lines labelled <c>answer</c>, ordered by id.</summary>
    public static IReadOnlyList<TopicRow> PerTopic(IReadOnlyList<JudgedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var pairs = TopicPairs(lines);
        return pairs.Select(p => p.Expected).Concat(pairs.Where(p => p.Predicted != NoTopic).Select(p => p.Predicted))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(topic => new TopicRow(
                topic,
                Support: pairs.Count(p => p.Expected == topic),
                Predicted: pairs.Count(p => p.Predicted == topic),
                Correct: pairs.Count(p => p.Expected == topic && p.Predicted == topic)))
            .ToList();
    }

    /// <summary>The figures per labelled language (ordered by code, lines without a language as <see cref="NoLanguage"/>), then the total row.</summary>
    public static IReadOnlyList<LanguageRow> PerLanguage(IReadOnlyList<JudgedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return lines
            .GroupBy(l => l.Label.Language ?? NoLanguage, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => LanguageRowOf(g.Key, g.ToList()))
            .Append(LanguageRowOf(AllLanguages, lines))
            .ToList();
    }

    /// <summary>
    /// Label topic against top-1 topic on lines labelled <c>answer</c>. Rows are the labelled topics; columns are the
    /// same topics in the same order (so the diagonal holds the right answers), then topics only ever predicted, then
    /// <see cref="NoTopic"/> when some line had no candidate at all.
    /// </summary>
    public static ConfusionMatrix TopicConfusion(IReadOnlyList<JudgedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var pairs = TopicPairs(lines);
        var rows = pairs.Select(p => p.Expected).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var extra = pairs.Select(p => p.Predicted).Where(p => p != NoTopic && !rows.Contains(p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var columns = rows.Concat(extra).ToList();
        if (pairs.Any(p => p.Predicted == NoTopic))
        {
            columns.Add(NoTopic);
        }

        return Tally(rows, columns, pairs);
    }

    /// <summary>Label action against the pipeline's action on every line; the five actions always, any other labelled action after them.</summary>
    public static ConfusionMatrix ActionConfusion(IReadOnlyList<JudgedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var pairs = lines.Select(l => (Expected: l.Label.Action, Predicted: EvaluationMetrics.ActionName(l.Result.Action))).ToList();
        var labels = Actions.Concat(pairs.Select(p => p.Expected).Where(a => !Actions.Contains(a)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)).ToList();
        return Tally(labels, labels, pairs);
    }

    /// <summary>Every line whose action is wrong, or whose label names a topic the top-1 candidate does not match, in input order.</summary>
    public static IReadOnlyList<MissRow> Misses(IReadOnlyList<JudgedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return lines
            .Where(l => !ActionRight(l) || (l.Label.Topic is not null && !TopicRight(l.Label, TopOf(l))))
            .Select(l => new MissRow(
                l.Id,
                l.Label.Language,
                l.Result.Language,
                l.Text,
                l.Label.Action,
                l.Label.Topic,
                EvaluationMetrics.ActionName(l.Result.Action),
                l.Result.Topic,
                l.Result.Confidence,
                l.Result.Candidates.Take(3).ToList()))
            .ToList();
    }

    /// <summary>Whether a detected language counts as the labelled one: equal, or nb told as nn and the other way round.</summary>
    public static bool SameLanguage(string? label, string detected) =>
        label == detected || (label is "nb" or "nn" && detected is "nb" or "nn");

    private static LanguageRow LanguageRowOf(string language, IReadOnlyList<JudgedLine> lines)
    {
        var answers = lines.Where(IsAnswerLine).ToList();
        var outOfScope = lines.Where(l => l.Label.Action == "out-of-scope").ToList();
        return new LanguageRow(
            language,
            lines.Count,
            answers.Count,
            Ratio(answers, l => TopicRight(l.Label, TopOf(l))),
            Ratio(lines, ActionRight),
            outOfScope.Count,
            Ratio(outOfScope, l => l.Result.Action == MessageAction.OutOfScope),
            Ratio(lines.Where(l => l.Label.Language is not null).ToList(), l => SameLanguage(l.Label.Language, l.Result.Language)));
    }

    private static List<(string Expected, string Predicted)> TopicPairs(IReadOnlyList<JudgedLine> lines) => lines
        .Where(IsAnswerLine)
        .Select(l =>
        {
            var top = TopOf(l);
            var predicted = top is null ? NoTopic : TopicRight(l.Label, top) ? l.Label.Topic! : top;
            return (l.Label.Topic!, predicted);
        })
        .ToList();

    private static ConfusionMatrix Tally(List<string> rows, List<string> columns, List<(string Expected, string Predicted)> pairs)
    {
        var counts = rows.Select(_ => new int[columns.Count]).ToList();
        foreach (var (expected, predicted) in pairs)
        {
            counts[rows.IndexOf(expected)][columns.IndexOf(predicted)]++;
        }

        return new ConfusionMatrix(rows, columns, counts);
    }

    private static bool IsAnswerLine(JudgedLine line) => line.Label.Action == "answer" && line.Label.Topic is not null;

    private static bool ActionRight(JudgedLine line) => EvaluationMetrics.ActionName(line.Result.Action) == line.Label.Action;

    private static bool TopicRight(EvaluationLabel label, string? topic) => topic is not null && (topic == label.Topic || label.Also.Contains(topic));

    private static string? TopOf(JudgedLine line) => line.Result.Candidates.Count > 0 ? line.Result.Candidates[0].Topic : null;

    private static double Ratio(IReadOnlyList<JudgedLine> items, Func<JudgedLine, bool> good) =>
        items.Count == 0 ? double.NaN : items.Count(good) / (double)items.Count;
}
