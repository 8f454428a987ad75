using System.Text.Json.Nodes;
using ExportCenter.Bot.Commands;
using ExportCenter.Knowledge.Evaluation;
using ExportCenter.Testing;

namespace ExportCenter.Bot.Tests.Knowledge;

public sealed class EvalCommandTests
{
    [Fact]
    public void Eval_WritesOneJsonObjectPerLine_AndOnlyThatToStandardOutput()
    {
        var file = Path.GetTempFileName();
        File.WriteAllLines(file,
        [
            """{"id": "a", "text": "Hur skaffar jag ett EORI-nummer?"}""",
            """{"id": "b", "text": "vad blir det för väder i Mora i helgen"}""",
            """{"id": "c", "text": "hej!"}""",
            """{"id": "d", "text": "Can someone call me about our export to Canada?"}""",
            """{"id": "e", "text": "Kiitos, miten voimme viedä Ruotsista?"}""",
        ]);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = BotCommands.Run(["eval", file, "--knowledge", RepositoryPaths.KnowledgeData], output, error);
        File.Delete(file);

        Assert.Equal(0, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        var rows = lines.Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        foreach (var row in rows)
        {
            Assert.Equal(["id", "lang", "action", "topic", "route", "confidence", "candidates"], row.Select(p => p.Key));
        }

        Assert.Equal(("answer", "customs-eori", "tullverket"), (rows[0]["action"]!.GetValue<string>(), rows[0]["topic"]!.GetValue<string>(), rows[0]["route"]![0]!.GetValue<string>()));
        Assert.Equal("out-of-scope", rows[1]["action"]!.GetValue<string>());
        Assert.Null(rows[1]["topic"]);
        Assert.Empty(rows[1]["route"]!.AsArray());
        Assert.Equal("smalltalk", rows[2]["action"]!.GetValue<string>());
        Assert.Equal(("handoff", "en"), (rows[3]["action"]!.GetValue<string>(), rows[3]["lang"]!.GetValue<string>()));
        Assert.Equal("fi", rows[4]["lang"]!.GetValue<string>());
        Assert.True(rows[0]["candidates"]!.AsArray().Count is > 0 and <= 3);
    }

    [Fact]
    public void Eval_WithLabels_PrintsTheSummaryToStandardError()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        BotCommands.Run(["eval", Path.Combine(RepositoryPaths.Eval, "dev.jsonl"), "--knowledge", RepositoryPaths.KnowledgeData], output, error);

        Assert.Contains("topic top-1", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("topic top-1", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_WithReport_WritesEveryReportFileIntoTheFolder()
    {
        var file = Path.GetTempFileName();
        var folder = Path.Combine(Path.GetTempPath(), "eval-report-" + Guid.NewGuid().ToString("N"));
        File.WriteAllLines(file,
        [
            """{"id": "a", "text": "Hur skaffar jag ett EORI-nummer?", "lang": "sv", "topic": "customs-eori", "route": ["tullverket"], "action": "answer"}""",
            """{"id": "b", "text": "Do we charge Swedish VAT when selling goods to a company in Germany?", "lang": "en", "topic": "vat-goods", "route": ["skatteverket"], "action": "answer"}""",
            """{"id": "c", "text": "vad blir det för väder i Mora i helgen", "lang": "sv", "action": "out-of-scope"}""",
        ]);
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            var exit = BotCommands.Run(["eval", file, "--report", folder, "--knowledge", RepositoryPaths.KnowledgeData], output, error);

            Assert.Equal(0, exit);
            Assert.All(EvaluationReportWriter.FileNames, name => Assert.True(File.Exists(Path.Combine(folder, name)), name));
            var perTopic = File.ReadAllLines(Path.Combine(folder, "per-topic.csv"));
            Assert.Equal("topic,support,predicted,correct,precision,recall,f1", perTopic[0]);
            Assert.Contains(perTopic, l => l.StartsWith("customs-eori,1,", StringComparison.Ordinal));
            Assert.Contains(perTopic, l => l.StartsWith("vat-goods,1,", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
