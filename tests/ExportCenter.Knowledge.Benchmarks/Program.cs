using BenchmarkDotNet.Running;
using ExportCenter.Knowledge.Benchmarks;

// The memory a loaded pipeline keeps (knowledge base, both classifiers, the similarity index and the
// entity models), measured as the managed heap growth after a full collection.
var before = GC.GetTotalMemory(forceFullCollection: true);
var pipeline = Pipeline.Build(withEntities: true);
pipeline.Understand("warm up the entity models with 070-123 45 67 and 2 miljoner kronor");
var after = GC.GetTotalMemory(forceFullCollection: true);
Console.WriteLine($"Loaded pipeline (knowledge base, classifiers, index, entity models): {(after - before) / (1024.0 * 1024.0):F1} MiB managed memory, {pipeline.FeatureCount} features");
GC.KeepAlive(pipeline);

if (args is ["breakdown", ..])
{
    // A quick look at where the time of one message goes (not a benchmark: plain stopwatch loops).
    var kb = ExportCenter.Knowledge.KnowledgeBase.KnowledgeBaseLoader.Load(ExportCenter.Knowledge.KnowledgeBase.KnowledgeBaseLoader.FindDataFolder(), DateOnly.FromDateTime(DateTime.UtcNow), TimeSpan.FromDays(365)).KnowledgeBase;
    var bare = ExportCenter.Knowledge.Understanding.MessageUnderstanding.Train(kb);
    var extractor = new ExportCenter.Knowledge.Entities.EntityExtractor(new ExportCenter.Knowledge.Entities.StandardEntityRecognizers());
    string[] messages = ["Hur skaffar jag ett EORI-nummer?", "we are a sawmill in Mora and a German buyer asks for a certificate of origin, who stamps it?", "Hej! Vi är ett litet gjuteri i Ludvika (orgnr 556036-0793) och har fått en order på 2 miljoner kronor från en kund i Norge men banken vill inte förskottera produktionen, vad finns det för finansiering och kan någon ringa mig på 070-123 45 67?"];
    foreach (var m in messages)
    {
        double Time(Action a)
        {
            for (var i = 0; i < 50; i++) a();
            var w = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 500; i++) a();
            return w.Elapsed.TotalMicroseconds / 500;
        }

        var organisations = new ExportCenter.Knowledge.Understanding.OrganisationMentions(kb);
        Console.WriteLine($"{m.Length,4} chars: features {Time(() => ExportCenter.Knowledge.Understanding.FeatureExtractor.Extract(m)):F0} us, understand without entities {Time(() => bare.Understand(m)):F0} us, entities {Time(() => extractor.Extract(m, "sv")):F0} us, language {Time(() => ExportCenter.Knowledge.Language.RegionLanguageDetector.Shared.Detect(m)):F0} us, organisations {Time(() => organisations.Find(m)):F0} us, facet {Time(() => ExportCenter.Knowledge.Understanding.FacetDetector.Detect(m)):F0} us");
    }

    return;
}

BenchmarkSwitcher.FromAssembly(typeof(UnderstandingBenchmarks).Assembly).Run(args.Length > 0 ? args : ["--filter", "*"]);
