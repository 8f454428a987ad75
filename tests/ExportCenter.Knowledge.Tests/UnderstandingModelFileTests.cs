using System.Text.Json;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;
using KB = ExportCenter.Knowledge.KnowledgeBase.KnowledgeBase;

namespace ExportCenter.Knowledge.Tests;

/// <summary>
/// The trained model on disk, which the bot reads at start-up instead of training: read back it decides exactly as the
/// model trained in the process (and is the same to the byte, as training is deterministic), a knowledge base whose
/// phrasings changed is trained anew, a damaged file is passed over and replaced, never used, and two processes that
/// start at once on a cold cache both get the model.
/// </summary>
public sealed class UnderstandingModelFileTests : IDisposable
{
    private static readonly Lazy<KB> Knowledge = new(() =>
        KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 11, 25), TimeSpan.FromDays(365)).KnowledgeBase);

    private static readonly Lazy<UnderstandingModel> Trained = new(() => UnderstandingModel.Train(Knowledge.Value));

    private readonly string _folder = Directory.CreateTempSubdirectory("exportcenter-model-").FullName;

    private string Cache => Path.Combine(_folder, "data", UnderstandingModelFile.FileName);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ModelReadFromItsFile_DecidesExactlyAsTheFreshlyTrainedOne()
    {
        UnderstandingModelFile.Write(Trained.Value, Cache);

        var read = UnderstandingModelFile.Read(Cache, UnderstandingModel.KeyFor(Knowledge.Value));

        Assert.Equal(ModelFileStatus.Read, read.Status);
        var trained = MessageUnderstanding.FromModel(Knowledge.Value, Trained.Value);
        var fromFile = MessageUnderstanding.FromModel(Knowledge.Value, read.Model!);
        var texts = Messages();
        var differing = texts.Where(text => Decision(trained.Understand(text)) != Decision(fromFile.Understand(text))).ToList();
        Assert.True(texts.Count > 1000, $"only {texts.Count} messages to compare");
        Assert.Empty(differing);
    }

    [Fact]
    public void ModelReadFromItsFile_WritesBackTheSameBytes()
    {
        // Every weight, bias, posting and label survives the round trip, not only the ones the messages above reach.
        UnderstandingModelFile.Write(Trained.Value, Cache);
        var again = Path.Combine(_folder, "again", UnderstandingModelFile.FileName);

        UnderstandingModelFile.Write(UnderstandingModelFile.Read(Cache, Trained.Value.Key).Model!, again);

        Assert.Equal(File.ReadAllBytes(Cache), File.ReadAllBytes(again));
    }

    [Fact]
    public void TrainingTwice_GivesTheSameModel()
    {
        // What lets a model trained by another process (the build, an earlier start) stand for the one this process
        // would train: the same bytes, so the same decisions.
        var second = Path.Combine(_folder, "second", UnderstandingModelFile.FileName);

        UnderstandingModelFile.Write(Trained.Value, Cache);
        UnderstandingModelFile.Write(UnderstandingModel.Train(Knowledge.Value), second);

        Assert.Equal(File.ReadAllBytes(Cache), File.ReadAllBytes(second));
    }

    [Fact]
    public async Task TwoStartsAtOnceOnAColdCache_BothGetTheModel_AndLeaveOneWholeFile()
    {
        using var bothReady = new Barrier(2);
        var loads = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(
            () =>
            {
                bothReady.SignalAndWait();
                return UnderstandingModelFile.LoadOrTrain(Knowledge.Value, [Cache], Cache);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));

        Assert.All(loads, load => Assert.Equal(Trained.Value.Key, load.Model.Key));
        Assert.All(loads, load => Assert.Null(load.WriteError));
        Assert.Equal(ModelFileStatus.Read, UnderstandingModelFile.Read(Cache, Trained.Value.Key).Status);
        Assert.Equal([UnderstandingModelFile.FileName], Directory.GetFiles(Path.GetDirectoryName(Cache)!).Select(Path.GetFileName));
    }

    [Fact]
    public void KnowledgeBaseWithAChangedPhrasing_IsTrainedAnew_AndCachedForTheNextStart()
    {
        UnderstandingModelFile.Write(Trained.Value, Cache);
        var changed = WithTopic(Knowledge.Value, "customs-eori", t => t with { ExamplesSv = [.. t.ExamplesSv, "behöver vi ett tullnummer för lådorna till Oslo"] });

        var first = UnderstandingModelFile.LoadOrTrain(changed, [Cache], Cache);
        var second = UnderstandingModelFile.LoadOrTrain(changed, [Cache], Cache);

        Assert.Null(first.ReadFrom);
        Assert.Equal(ModelFileStatus.OtherKnowledge, Assert.Single(first.PassedOver).Status);
        Assert.Equal(Cache, first.WrittenTo);
        Assert.Equal(UnderstandingModel.KeyFor(changed), first.Model.Key);
        Assert.NotEqual(Trained.Value.Key, first.Model.Key);
        Assert.Equal(Cache, second.ReadFrom);
        Assert.Null(second.WrittenTo);
    }

    [Fact]
    public void EditThatNoPhrasingSees_KeepsTheKey()
    {
        var reworded = WithTopic(Knowledge.Value, "customs-eori", t => t with { Answer = t.Answer with { Sv = t.Answer.Sv + " Tullverket svarar på vardagar." } });
        var newPhrasing = WithTopic(Knowledge.Value, "customs-eori", t => t with { ExamplesEn = [.. t.ExamplesEn, "do the boxes for Oslo need a customs number"] });
        var newTerm = WithTopic(Knowledge.Value, "customs-eori", t => t with { Terms = new Dictionary<string, IReadOnlyList<string>>(t.Terms) { ["de"] = [.. t.Terms.GetValueOrDefault("de", []), "Zollnummer für die Kisten"] } });

        Assert.Equal(UnderstandingModel.KeyFor(Knowledge.Value), UnderstandingModel.KeyFor(reworded));
        Assert.NotEqual(UnderstandingModel.KeyFor(Knowledge.Value), UnderstandingModel.KeyFor(newPhrasing));
        Assert.NotEqual(UnderstandingModel.KeyFor(Knowledge.Value), UnderstandingModel.KeyFor(newTerm));
    }

    [Fact]
    public void PhrasingsLeftOutOfTraining_ChangeTheKey()
    {
        var left = new HashSet<string>(StringComparer.Ordinal) { Knowledge.Value.Topics[0].ExamplesSv[0] };

        Assert.NotEqual(UnderstandingModel.KeyFor(Knowledge.Value), UnderstandingModel.KeyFor(Knowledge.Value, left));
        Assert.Equal(UnderstandingModel.KeyFor(Knowledge.Value, left), UnderstandingModel.Train(Knowledge.Value, left).Key);
    }

    [Theory]
    [InlineData("a flipped bit in the weights")]
    [InlineData("a flipped bit in the checksum")]
    [InlineData("cut in half")]
    [InlineData("a byte appended")]
    [InlineData("empty")]
    [InlineData("text")]
    public void DamagedFile_IsNotRead(string damage)
    {
        UnderstandingModelFile.Write(Trained.Value, Cache);
        Damage(Cache, damage);

        var read = UnderstandingModelFile.Read(Cache, UnderstandingModel.KeyFor(Knowledge.Value));

        Assert.Equal(ModelFileStatus.Damaged, read.Status);
        Assert.Null(read.Model);
    }

    [Fact]
    public void DamagedCache_IsPassedOver_AndReplacedByAWholeModel()
    {
        UnderstandingModelFile.Write(Trained.Value, Cache);
        Damage(Cache, "a flipped bit in the weights");

        var load = UnderstandingModelFile.LoadOrTrain(Knowledge.Value, [Cache], Cache);

        Assert.Null(load.ReadFrom);
        Assert.Equal(ModelFileStatus.Damaged, Assert.Single(load.PassedOver).Status);
        Assert.Equal(Cache, load.WrittenTo);
        Assert.Equal(ModelFileStatus.Read, UnderstandingModelFile.Read(Cache, UnderstandingModel.KeyFor(Knowledge.Value)).Status);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(Cache)!, "*.tmp"));
    }

    [Fact]
    public void BuiltModel_IsReadBeforeTheCache_AndAStaleOneIsPassedOver()
    {
        var built = Path.Combine(_folder, "built", UnderstandingModelFile.FileName);
        UnderstandingModelFile.Write(Trained.Value, built);
        UnderstandingModelFile.Write(Trained.Value, Cache);

        var fromBuilt = UnderstandingModelFile.LoadOrTrain(Knowledge.Value, [built, Cache], Cache);
        MarkAsTrainedFromSomethingElse(built);
        var fromCache = UnderstandingModelFile.LoadOrTrain(Knowledge.Value, [built, Cache], Cache);

        Assert.Equal(built, fromBuilt.ReadFrom);
        Assert.Empty(fromBuilt.PassedOver);
        Assert.Equal(Cache, fromCache.ReadFrom);
        Assert.Equal(ModelFileStatus.OtherKnowledge, Assert.Single(fromCache.PassedOver).Status);
        Assert.Null(fromCache.WrittenTo);
    }

    [Fact]
    public void CacheThatCannotBeWritten_IsReported_AndTheModelStillComes()
    {
        // A file where the cache's folder would be: the folder cannot be created.
        File.WriteAllText(Path.Combine(_folder, "data"), "not a folder");

        var load = UnderstandingModelFile.LoadOrTrain(Knowledge.Value, [Cache], Cache);

        Assert.IsAssignableFrom<IOException>(load.WriteError);
        Assert.Null(load.WrittenTo);
        Assert.Equal(Trained.Value.Key, load.Model.Key);
    }

    /// <summary>Everything a result says, floats to the last bit (System.Text.Json writes the shortest round-trip form).</summary>
    private static string Decision(MessageUnderstandingResult r) => JsonSerializer.Serialize(r);

    /// <summary>
    /// Messages that reach every part of the model: the hold-out questions (Swedish and English, the first models), the
    /// terms of the region's other languages and the intents' phrasings in them (the second models), smalltalk,
    /// requests for a person and out-of-scope messages (the intent models), and every one of them cut to its first
    /// three words (short, uncertain messages, where the similarity indexes decide).
    /// </summary>
    private static List<string> Messages()
    {
        var kb = Knowledge.Value;
        var whole = File.ReadLines(Path.Combine(RepositoryPaths.Eval, "own-holdout.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("text").GetString()!)
            .Concat(kb.Topics.SelectMany(t => t.Terms.Values.SelectMany(terms => terms)))
            .Concat(kb.Intents.SmalltalkOther).Concat(kb.Intents.HandoffOther).Concat(kb.Intents.OutOfScopeOther)
            .Concat(kb.Intents.SmalltalkSv).Concat(kb.Intents.HandoffEn).Concat(kb.Intents.OutOfScopeSv)
            .ToList();
        return [.. whole.Concat(whole.Select(text => string.Join(' ', text.Split(' ').Take(3)))).Distinct(StringComparer.Ordinal)];
    }

    private static KB WithTopic(KB knowledge, string id, Func<Topic, Topic> change) =>
        new(knowledge.Organisations, [.. knowledge.Topics.Select(t => t.Id == id ? change(t) : t)], knowledge.Intents);

    private static void Damage(string path, string damage)
    {
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "a flipped bit in the weights":
                bytes[bytes.Length / 2] ^= 0x10;
                File.WriteAllBytes(path, bytes);
                break;
            case "a flipped bit in the checksum":
                bytes[^1] ^= 0x01;
                File.WriteAllBytes(path, bytes);
                break;
            case "cut in half":
                File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
                break;
            case "a byte appended":
                File.WriteAllBytes(path, [.. bytes, 0]);
                break;
            case "empty":
                File.WriteAllBytes(path, []);
                break;
            default:
                File.WriteAllText(path, "{\"model\": \"none\"}");
                break;
        }
    }

    /// <summary>Alters the key in the file's header: a whole model, but of another knowledge base.</summary>
    private static void MarkAsTrainedFromSomethingElse(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[8] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
    }
}
