using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Tests;

public sealed partial class KnowledgeBaseTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private readonly string _copy = Directory.CreateTempSubdirectory("exportcenter-kb-").FullName;

    public KnowledgeBaseTests() => CopyDirectory(RepositoryPaths.KnowledgeData, _copy);

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    [Fact]
    public void KnowledgeBase_HasEveryOrganisationAndTopicOfTheDomain_WithTheRoutesOfTopicsMd()
    {
        var kb = Load(RepositoryPaths.KnowledgeData).KnowledgeBase;
        var organisations = File.ReadAllText(Path.Combine(RepositoryPaths.Eval, "organisations.md"));
        var topics = File.ReadAllLines(Path.Combine(RepositoryPaths.Eval, "topics.md"));

        var orgIds = TableId().Matches(organisations).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Equal(20, orgIds.Count);
        Assert.Subset(kb.OrganisationsById.Keys.ToHashSet(), orgIds);

        var topicRows = topics.Select(l => TopicRow().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(31, topicRows.Count);
        Assert.Equal(31, kb.Topics.Count);
        foreach (var row in topicRows)
        {
            var topic = kb.TopicsById[row.Groups["id"].Value];
            var route = row.Groups["route"].Value.Split(',', StringSplitOptions.TrimEntries);
            Assert.Equal(route, topic.Route);
            Assert.False(string.IsNullOrWhiteSpace(topic.Answer.Sv));
            Assert.False(string.IsNullOrWhiteSpace(topic.Answer.En));
        }
    }

    [Theory]
    [InlineData("topics/ata-carnet.yaml", "  en: ", "  english: ", "topics/ata-carnet.yaml", "(file)", "english")]
    [InlineData("topics/ata-carnet.yaml", "route: [mellansvenska-handelskammaren, tullverket]", "route: [mellansvenska-handelskammaren, tullverkett]", "topics/ata-carnet.yaml", "ata-carnet", "route[1]")]
    [InlineData("topics/ata-carnet.yaml", "id: ata-carnet", "id: ata-carnett", "topics/ata-carnet.yaml", "ata-carnett", "id")]
    [InlineData("organisations.yaml", "  - id: almi", "  - id: een", "organisations.yaml", "een", "id")]
    public void BrokenFile_IsReportedWithFileEntryAndField(string file, string find, string replace, string expectedFile, string expectedEntry, string expectedField)
    {
        var path = Path.Combine(_copy, file);
        var text = File.ReadAllText(path);
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(path, ReplaceFirst(text, find, replace));

        var error = Assert.Throws<KnowledgeBaseException>(() => Load(_copy));

        Assert.Contains(error.Problems, p => p.File == expectedFile && p.Entry == expectedEntry && p.Field == expectedField);
        Assert.Contains($"{expectedFile}: entry '{expectedEntry}', field '{expectedField}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEnglishAnswer_IsReportedAsAMissingLanguage()
    {
        var path = Path.Combine(_copy, "topics", "vat-goods.yaml");
        var lines = File.ReadAllLines(path).ToList();
        var answer = lines.FindIndex(l => l.StartsWith("answer:", StringComparison.Ordinal));
        var en = lines.FindIndex(answer, l => l.StartsWith("  en:", StringComparison.Ordinal));
        var next = lines.FindIndex(en + 1, l => !l.StartsWith("    ", StringComparison.Ordinal));
        lines.RemoveRange(en, next - en);
        File.WriteAllLines(path, lines);

        var error = Assert.Throws<KnowledgeBaseException>(() => Load(_copy));

        Assert.Contains(error.Problems, p => p.File == "topics/vat-goods.yaml" && p.Entry == "vat-goods" && p.Field == "answer.en");
    }

    [Fact]
    public void DeadRelatedReference_IsReported()
    {
        File.Delete(Path.Combine(_copy, "topics", "rules-of-origin.yaml"));

        var error = Assert.Throws<KnowledgeBaseException>(() => Load(_copy));

        Assert.Contains(error.Problems, p => p.Field.StartsWith("related[", StringComparison.Ordinal) && p.Message.Contains("rules-of-origin", StringComparison.Ordinal));
    }

    [Fact]
    public void EntriesPastTheirReviewDate_AreListed()
    {
        var load = KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, Today.AddYears(2), TimeSpan.FromDays(365));

        Assert.Equal(load.KnowledgeBase.Topics.Count + load.KnowledgeBase.Organisations.Count, load.StaleEntries.Count);
        Assert.Empty(Load(RepositoryPaths.KnowledgeData).StaleEntries);
    }

    [Fact]
    public void NoLineOfTheDevSet_AppearsInTheKnowledgeBase()
    {
        var knowledgeLines = Directory.EnumerateFiles(RepositoryPaths.KnowledgeData, "*.yaml", SearchOption.AllDirectories)
            .SelectMany(File.ReadAllLines)
            .Select(l => Normalize(l.TrimStart().TrimStart('-')))
            .ToHashSet(StringComparer.Ordinal);
        var everything = Normalize(string.Join(' ', Directory.EnumerateFiles(RepositoryPaths.KnowledgeData, "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText)));
        var dev = File.ReadLines(Path.Combine(RepositoryPaths.Eval, "dev.jsonl"))
            .Select(l => JsonNode.Parse(l)!["text"]!.GetValue<string>())
            .ToList();

        Assert.NotEmpty(dev);
        Assert.DoesNotContain(dev, text => knowledgeLines.Contains(Normalize(text)));
        Assert.DoesNotContain(dev, text => text.Length >= 20 && everything.Contains(Normalize(text), StringComparison.Ordinal));
    }

    private static KnowledgeBaseLoad Load(string folder) => KnowledgeBaseLoader.Load(folder, Today, TimeSpan.FromDays(365));

    private static string Normalize(string text) =>
        Whitespace().Replace(text.Trim().Trim('"', '\'').ToLowerInvariant(), " ").TrimEnd('?', '!', '.', ' ');

    private static string ReplaceFirst(string text, string find, string replace)
    {
        var i = text.IndexOf(find, StringComparison.Ordinal);
        return text[..i] + replace + text[(i + find.Length)..];
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(dir.Replace(from, to, StringComparison.Ordinal));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(from, to, StringComparison.Ordinal));
        }
    }

    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex TableId();

    [GeneratedRegex(@"^\| `(?<id>[a-z0-9-]+)` \|[^|]*\| (?<route>[a-z0-9-]+(, [a-z0-9-]+)*) \|$")]
    private static partial Regex TopicRow();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
