using System.Globalization;
using System.Text;

namespace ExportCenter.Knowledge.Evaluation;

/// <summary>
/// Writes the files of <c>eval --report DIR</c>: CSV tables (RFC 4180 quoting, invariant culture, UTF-8, an empty
/// field for an undefined ratio), the topic confusion matrix as SVG and a Markdown summary.
/// </summary>
public static class EvaluationReportWriter
{
    /// <summary>The files <see cref="Write"/> creates, in the order it writes them.</summary>
    public static readonly IReadOnlyList<string> FileNames =
        ["per-topic.csv", "per-language.csv", "confusion.csv", "confusion-actions.csv", "confusion.svg", "misses.csv", "summary.md"];

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes every report file into <paramref name="directory"/>, creating it if missing, replacing files of the same names.</summary>
    /// <param name="directory">The folder to write into.</param>
    /// <param name="lines">The judged lines.</param>
    /// <param name="metrics">The figures already computed from the same lines.</param>
    /// <param name="source">What was evaluated (the file name), for the titles.</param>
    public static void Write(string directory, IReadOnlyList<JudgedLine> lines, EvaluationMetrics metrics, string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(source);
        Directory.CreateDirectory(directory);
        var languages = EvaluationReport.PerLanguage(lines);
        var topics = EvaluationReport.TopicConfusion(lines);
        Save(directory, "per-topic.csv", PerTopicCsv(EvaluationReport.PerTopic(lines)));
        Save(directory, "per-language.csv", PerLanguageCsv(languages));
        Save(directory, "confusion.csv", ConfusionCsv(topics, "expected \\ predicted"));
        Save(directory, "confusion-actions.csv", ConfusionCsv(EvaluationReport.ActionConfusion(lines), "expected \\ predicted"));
        Save(directory, "confusion.svg", ConfusionMatrixSvg.Render(topics, $"Topic confusion: {source}"));
        Save(directory, "misses.csv", MissesCsv(EvaluationReport.Misses(lines)));
        Save(directory, "summary.md", SummaryMarkdown(source, metrics, languages));
    }

    /// <summary>One CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a line break.</summary>
    public static string CsvField(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
    }

    /// <summary>One CSV record ending in a line feed.</summary>
    public static string CsvRecord(params IEnumerable<string?> fields) => string.Join(',', fields.Select(CsvField)) + "\n";

    /// <summary>per-topic.csv: support, predicted, correct, precision, recall and F1 per topic.</summary>
    public static string PerTopicCsv(IReadOnlyList<TopicRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var b = new StringBuilder(CsvRecord("topic", "support", "predicted", "correct", "precision", "recall", "f1"));
        foreach (var r in rows)
        {
            b.Append(CsvRecord(r.Topic, Int(r.Support), Int(r.Predicted), Int(r.Correct), Number(r.Precision), Number(r.Recall), Number(r.F1)));
        }

        return b.ToString();
    }

    /// <summary>per-language.csv: one record per labelled language, then the total.</summary>
    public static string PerLanguageCsv(IReadOnlyList<LanguageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var b = new StringBuilder(CsvRecord("lang", "lines", "answer_lines", "topic_top1", "action_accuracy", "out_of_scope_lines", "out_of_scope_recall", "language_accuracy"));
        foreach (var r in rows)
        {
            b.Append(CsvRecord(r.Language, Int(r.Lines), Int(r.AnswerLines), Number(r.TopicTop1), Number(r.ActionAccuracy), Int(r.OutOfScopeLines), Number(r.OutOfScopeRecall), Number(r.LanguageAccuracy)));
        }

        return b.ToString();
    }

    /// <summary>A confusion matrix with the expected labels down the first column and the predicted ones across the header.</summary>
    public static string ConfusionCsv(ConfusionMatrix matrix, string corner)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var b = new StringBuilder(CsvRecord(matrix.Columns.Prepend(corner)));
        for (var r = 0; r < matrix.Rows.Count; r++)
        {
            b.Append(CsvRecord(matrix.Counts[r].Select(Int).Prepend(matrix.Rows[r])));
        }

        return b.ToString();
    }

    /// <summary>misses.csv: the wrong lines with what was expected, what came out and the top-3 candidates as <c>topic=score</c> pairs.</summary>
    public static string MissesCsv(IReadOnlyList<MissRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var b = new StringBuilder(CsvRecord("id", "lang", "detected_lang", "text", "expected_action", "expected_topic", "got_action", "got_topic", "confidence", "top3"));
        foreach (var m in rows)
        {
            var top = string.Join("; ", m.TopCandidates.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Topic}={c.Score:0.000}")));
            b.Append(CsvRecord(m.Id, m.Language, m.DetectedLanguage, m.Text, m.ExpectedAction, m.ExpectedTopic, m.GotAction, m.GotTopic, Number(m.Confidence), top));
        }

        return b.ToString();
    }

    /// <summary>summary.md: the figures with their targets, then the per-language table.</summary>
    public static string SummaryMarkdown(string source, EvaluationMetrics metrics, IReadOnlyList<LanguageRow> languages)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(languages);
        var b = new StringBuilder();
        b.Append(CultureInfo.InvariantCulture, $"# Evaluation of {MarkdownCell(source)}\n\n");
        b.Append(CultureInfo.InvariantCulture, $"{metrics.Lines} labelled lines.\n\n");
        b.Append("| figure | value | target |\n|---|---:|---|\n");
        foreach (var (name, value, target) in metrics.Figures)
        {
            b.Append(CultureInfo.InvariantCulture, $"| {MarkdownCell(name)} | {Shown(value)} | {MarkdownCell(target)} |\n");
        }

        b.Append("\n## Per language\n\n");
        b.Append("Language detection counts nb and nn as one; n/a where the language has no such lines.\n\n");
        b.Append("| lang | lines | topic top-1 | action accuracy | out-of-scope recall | language detected |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var r in languages)
        {
            b.Append(CultureInfo.InvariantCulture, $"| {MarkdownCell(r.Language)} | {r.Lines} | {Shown(r.TopicTop1)} | {Shown(r.ActionAccuracy)} | {Shown(r.OutOfScopeRecall)} | {Shown(r.LanguageAccuracy)} |\n");
        }

        b.Append("\nFiles: `per-topic.csv`, `per-language.csv`, `confusion.csv` and `confusion.svg` (topics), `confusion-actions.csv`, `misses.csv`.\n");
        return b.ToString();
    }

    private static void Save(string directory, string name, string content) =>
        File.WriteAllText(Path.Combine(directory, name), content, Utf8);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => double.IsNaN(value) ? "" : value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Shown(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string MarkdownCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
