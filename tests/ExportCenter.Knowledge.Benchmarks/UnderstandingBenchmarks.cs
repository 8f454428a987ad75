using BenchmarkDotNet.Attributes;
using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Benchmarks;

/// <summary>Understanding one message (language, entities, classification, decision), single thread.</summary>
[MemoryDiagnoser]
public class UnderstandingBenchmarks
{
    private MessageUnderstanding _pipeline = null!;

    [Params(
        "Hur skaffar jag ett EORI-nummer?",
        "Vi säljer ytterkläder och funderar på Tyskland eller Norge, vilket land ska vi börja med?",
        "we are a sawmill in Mora and a German buyer asks for a certificate of origin, who stamps it?",
        "Hej! Vi är ett litet gjuteri i Ludvika (orgnr 556036-0793) och har fått en order på 2 miljoner kronor från en kund i Norge men banken vill inte förskottera produktionen, vad finns det för finansiering och kan någon ringa mig på 070-123 45 67?")]
    public string Message { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _pipeline = Pipeline.Build(withEntities: true);

    [Benchmark]
    public MessageUnderstandingResult Understand() => _pipeline.Understand(Message);
}

/// <summary>Loading, validating and indexing the whole knowledge base (training the classifiers).</summary>
[MemoryDiagnoser]
public class LoadingBenchmarks
{
    [Benchmark]
    public MessageUnderstanding LoadAndTrain() => Pipeline.Build(withEntities: false);
}

internal static class Pipeline
{
    private static readonly Lazy<StandardEntityRecognizers> Recognizers = new(() => new StandardEntityRecognizers());

    public static MessageUnderstanding Build(bool withEntities)
    {
        var kb = KnowledgeBaseLoader.Load(KnowledgeBaseLoader.FindDataFolder(), DateOnly.FromDateTime(DateTime.UtcNow), TimeSpan.FromDays(365)).KnowledgeBase;
        return MessageUnderstanding.Train(kb, withEntities ? new EntityExtractor(Recognizers.Value) : null);
    }
}
