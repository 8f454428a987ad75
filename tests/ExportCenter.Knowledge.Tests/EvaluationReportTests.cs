using System.Globalization;
using System.Xml.Linq;
using ExportCenter.Knowledge.Evaluation;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Tests;

/// <summary>
/// The breakdowns of <c>eval --report</c> on seven hand-made judged lines whose figures are worked out by hand,
/// and the shape of what the writers produce (CSV quoting, the SVG as XML).
/// </summary>
public sealed class EvaluationReportTests
{
    // Answer lines as (label topic, top-1 topic): (a,a) (a,b) (b,b) (b,none) (c, a allowed by "also" so c).
    private static readonly IReadOnlyList<JudgedLine> Lines =
    [
        Judged("1", "sv", "answer", "a", [], "sv", MessageAction.Answer, "a"),
        Judged("2", "en", "answer", "a", [], "en", MessageAction.Answer, "b", "a"),
        Judged("3", "sv", "answer", "b", [], "sv", MessageAction.Clarify, "b", "c"),
        Judged("4", "sv", "answer", "b", [], "sv", MessageAction.OutOfScope),
        Judged("5", "sv", "answer", "c", ["a"], "sv", MessageAction.Answer, "a", "c"),
        Judged("6", "nn", "out-of-scope", null, [], "nb", MessageAction.Smalltalk),
        Judged("7", "sv", "smalltalk", null, [], "en", MessageAction.Smalltalk),
    ];

    [Fact]
    public void PerTopic_CountsTheTopOneCandidateOnAnswerLines()
    {
        var rows = EvaluationReport.PerTopic(Lines);

        Assert.Equal(
            [("a", 2, 1, 1), ("b", 2, 2, 1), ("c", 1, 1, 1)],
            rows.Select(r => (r.Topic, r.Support, r.Predicted, r.Correct)));
        Assert.Equal((1.0, 0.5, 2 / 3.0), (rows[0].Precision, rows[0].Recall, rows[0].F1));
        Assert.Equal((0.5, 0.5, 0.5), (rows[1].Precision, rows[1].Recall, rows[1].F1));
        Assert.Equal((1.0, 1.0, 1.0), (rows[2].Precision, rows[2].Recall, rows[2].F1));
    }

    [Fact]
    public void PerTopic_LeavesPrecisionUndefined_ForATopicNeverPredicted()
    {
        var row = new TopicRow("x", Support: 3, Predicted: 0, Correct: 0);

        Assert.True(double.IsNaN(row.Precision));
        Assert.Equal(0, row.Recall);
        Assert.True(double.IsNaN(row.F1));
    }

    [Fact]
    public void TopicConfusion_HasTheLabelsAsRows_AndANoneColumnForLinesWithoutCandidates()
    {
        var matrix = EvaluationReport.TopicConfusion(Lines);

        Assert.Equal(["a", "b", "c"], matrix.Rows);
        Assert.Equal(["a", "b", "c", EvaluationReport.NoTopic], matrix.Columns);
        Assert.Equal([[1, 1, 0, 0], [0, 1, 0, 1], [0, 0, 1, 0]], matrix.Counts.Select(r => r.ToArray()));
        Assert.Equal(1, matrix.Count("b", EvaluationReport.NoTopic));
    }

    [Fact]
    public void ActionConfusion_CountsEveryLineUnderItsLabelAndDecision()
    {
        var matrix = EvaluationReport.ActionConfusion(Lines);

        Assert.Equal(EvaluationReport.Actions, matrix.Rows);
        Assert.Equal(EvaluationReport.Actions, matrix.Columns);
        Assert.Equal([3, 1, 0, 1, 0], matrix.Counts[0]);
        Assert.Equal(1, matrix.Count("out-of-scope", "smalltalk"));
        Assert.Equal(1, matrix.Count("smalltalk", "smalltalk"));
        Assert.Equal(7, matrix.Counts.Sum(r => r.Sum()));
    }

    [Fact]
    public void Misses_AreTheLinesWithAWrongActionOrTopOneTopic()
    {
        var misses = EvaluationReport.Misses(Lines);

        Assert.Equal(["2", "3", "4", "6"], misses.Select(m => m.Id));
        Assert.Equal(("answer", "a", "answer", "b"), (misses[0].ExpectedAction, misses[0].ExpectedTopic, misses[0].GotAction, misses[0].GotTopic));
        Assert.Equal(["b", "a"], misses[0].TopCandidates.Select(c => c.Topic));
    }

    [Fact]
    public void PerLanguage_CountsNynorskToldAsBokmalAsRight()
    {
        var rows = EvaluationReport.PerLanguage(Lines).ToDictionary(r => r.Language);

        Assert.Equal(["en", "nn", "sv", EvaluationReport.AllLanguages], EvaluationReport.PerLanguage(Lines).Select(r => r.Language));
        Assert.Equal((5, 4, 0.75, 0.6, 0, 0.8), (rows["sv"].Lines, rows["sv"].AnswerLines, rows["sv"].TopicTop1, rows["sv"].ActionAccuracy, rows["sv"].OutOfScopeLines, rows["sv"].LanguageAccuracy));
        Assert.True(double.IsNaN(rows["sv"].OutOfScopeRecall));
        Assert.Equal((1, 0.0, 0.0, 1.0), (rows["nn"].Lines, rows["nn"].ActionAccuracy, rows["nn"].OutOfScopeRecall, rows["nn"].LanguageAccuracy));
        Assert.Equal((7, 5, 0.6), (rows[EvaluationReport.AllLanguages].Lines, rows[EvaluationReport.AllLanguages].AnswerLines, rows[EvaluationReport.AllLanguages].TopicTop1));
    }

    [Fact]
    public void Svg_IsXml_WithOneRectPerCell_AndAnAccessibleName()
    {
        var matrix = EvaluationReport.TopicConfusion(Lines);

        var svg = XDocument.Parse(ConfusionMatrixSvg.Render(matrix, "Topic confusion: <test> & more")).Root!;

        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(ns + "svg", svg.Name);
        Assert.Equal("img", (string?)svg.Attribute("role"));
        Assert.Equal("Topic confusion: <test> & more", svg.Element(ns + "title")?.Value);
        Assert.False(string.IsNullOrWhiteSpace(svg.Element(ns + "desc")?.Value));
        Assert.Equal(3 * 4, svg.Descendants(ns + "rect").Count());
        var counts = svg.Descendants(ns + "g").Single(g => (string?)g.Attribute("class") == "cells").Elements(ns + "text").Select(t => t.Value);
        Assert.Equal(["1", "1", "1", "1", "1"], counts);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData("cr\rhere", "\"cr\rhere\"")]
    [InlineData("", "")]
    public void CsvField_QuotesCommasQuotesAndLineBreaks(string value, string expected) =>
        Assert.Equal(expected, EvaluationReportWriter.CsvField(value));

    [Fact]
    public void MissesCsv_QuotesTheText_AndWritesNumbersInvariantly()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("sv-SE");
        try
        {
            var line = Judged("q", "en", "answer", "a", [], "en", MessageAction.Answer, "b", "a") with { Text = "Hi, \"we\" sell\nboats" };

            var csv = EvaluationReportWriter.MissesCsv(EvaluationReport.Misses([line]));

            Assert.Equal(
                "id,lang,detected_lang,text,expected_action,expected_topic,got_action,got_topic,confidence,top3\n"
                + "q,en,en,\"Hi, \"\"we\"\" sell\nboats\",answer,a,answer,b,0.5000,b=0.500; a=0.250\n",
                csv);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Write_CreatesTheFolderWithEveryFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "report-" + Guid.NewGuid().ToString("N"), "nested");
        try
        {
            var metrics = EvaluationMetrics.Compute(Lines.Select(l => (l.Label, l.Result)).ToList(), _ => []);

            EvaluationReportWriter.Write(folder, Lines, metrics, "hand-made.jsonl");

            Assert.All(EvaluationReportWriter.FileNames, name => Assert.True(File.Exists(Path.Combine(folder, name)), name));
            Assert.StartsWith("topic,support,predicted,correct,precision,recall,f1\na,2,1,1,1.0000,0.5000,0.6667\n", File.ReadAllText(Path.Combine(folder, "per-topic.csv")), StringComparison.Ordinal);
            Assert.Contains("| nn | 1 | n/a | 0.000 | 0.000 | 1.000 |", File.ReadAllText(Path.Combine(folder, "summary.md")), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    /// <summary>A judged line; the candidates get scores 0.5, 0.25, 0.125 ... and the confidence is the first one's.</summary>
    private static JudgedLine Judged(string id, string lang, string action, string? topic, string[] also, string detected, MessageAction got, params string[] candidates)
    {
        var scored = candidates.Select((c, i) => new TopicCandidate(c, 0.5f / (1 << i))).ToList();
        var gotTopic = got == MessageAction.Answer && scored.Count > 0 ? scored[0].Topic : null;
        var result = new MessageUnderstandingResult(detected, got, gotTopic, [], scored.Count > 0 ? scored[0].Score : 0, scored, []);
        return new JudgedLine(id, $"message {id}", new EvaluationLabel(lang, action, topic, [], also), result);
    }
}
