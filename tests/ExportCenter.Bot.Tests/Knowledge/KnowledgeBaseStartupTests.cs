using ExportCenter.Bot.Commands;
using ExportCenter.Bot.Testing;
using ExportCenter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportCenter.Bot.Tests.Knowledge;

/// <summary>
/// The knowledge base as the host and its commands load it: `kb validate`, a start-up that a broken file
/// stops, and the trained model kept between starts. (The library's own loading and validation is tested in ExportCenter.Knowledge.Tests.)
/// </summary>
public sealed class KnowledgeBaseStartupTests : IDisposable
{
    private readonly string _copy = Directory.CreateTempSubdirectory("exportcenter-kb-").FullName;

    public KnowledgeBaseStartupTests() => CopyDirectory(RepositoryPaths.KnowledgeData, _copy);

    public void Dispose() => Directory.Delete(_copy, recursive: true);

    [Fact]
    public void KbValidate_PassesOnTheRepositoryData()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = BotCommands.Run(["kb", "validate", "--knowledge", RepositoryPaths.KnowledgeData], output, error);

        Assert.Equal(0, exit);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("OK:", lines[^1], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("topics/customs-eori.yaml: answer.sv:", StringComparison.Ordinal) && l.Contains("LIX", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("topics/customs-eori.yaml: answer.en:", StringComparison.Ordinal) && l.Contains("Flesch", StringComparison.Ordinal));
    }

    [Fact]
    public void Startup_WithABrokenKnowledgeFile_FailsNamingIt()
    {
        var path = Path.Combine(_copy, "topics", "ata-carnet.yaml");
        File.WriteAllText(path, ReplaceFirst(File.ReadAllText(path), "owner: ", "owner: nobody-"));

        var error = Assert.ThrowsAny<Exception>(() => new BotApp(new Dictionary<string, string?> { ["Knowledge:Path"] = _copy }));

        Assert.Contains("topics/ata-carnet.yaml: entry 'ata-carnet', field 'owner'", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public void Startup_WithAnEditedKnowledgeBase_TrainsOnce_AndTheNextStartReadsTheModel()
    {
        // A phrasing the model next to the binaries was not trained on: the first start trains and keeps the model,
        // the second reads it.
        var path = Path.Combine(_copy, "topics", "ata-carnet.yaml");
        File.WriteAllText(path, ReplaceFirst(File.ReadAllText(path), "    - ata carnet usa\n", "    - ata carnet usa\n    - carnet för provkollektionen till Kanada\n"));
        var cache = Path.Combine(_copy + "-cache", "understanding.model");
        var settings = new Dictionary<string, string?>
        {
            ["Knowledge:Path"] = _copy,
            ["Knowledge:ModelCache"] = cache,
            ["Logging:LogLevel:ExportCenter.Bot.Knowledge"] = "Information",
        };
        var log = new RecordingLoggerProvider();

        try
        {
            using (new BotApp(settings, s => s.AddSingleton<ILoggerProvider>(log)))
            {
                Assert.Contains(log.Entries, e => e.EventId.Id == 5003 && e.Message.Contains(cache, StringComparison.Ordinal));
                Assert.True(File.Exists(cache));
            }

            log.Clear();
            using (new BotApp(settings, s => s.AddSingleton<ILoggerProvider>(log)))
            {
                Assert.Contains(log.Entries, e => e.EventId.Id == 5002 && e.Message.Contains(cache, StringComparison.Ordinal));
                Assert.DoesNotContain(log.Entries, e => e.EventId.Id == 5003);
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(cache)!, recursive: true);
        }
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);

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
}
