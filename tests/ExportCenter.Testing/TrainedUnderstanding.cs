using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Testing;

/// <summary>
/// The knowledge base next to the binaries and the understanding pipeline trained on it with the standard entity
/// recognisers, built as the host builds them by default, once per test process. Training takes about a second; a
/// suite that starts a hundred hosts would otherwise spend that a hundred times. Both are read-only once built, so
/// hosts and conversations running in parallel can share them.
/// </summary>
public static class TrainedUnderstanding
{
    private static readonly Lazy<(KnowledgeBase Knowledge, MessageUnderstanding Pipeline)> Trained = new(() =>
    {
        // The date only decides which entries count as past their review; nothing here reads that list.
        var knowledge = KnowledgeBaseLoader.Load(KnowledgeBaseLoader.FindDataFolder(), new DateOnly(2026, 11, 25), TimeSpan.FromDays(365)).KnowledgeBase;
        return (knowledge, MessageUnderstanding.Train(knowledge, new EntityExtractor(new StandardEntityRecognizers())));
    });

    /// <summary>The repository's knowledge base (the copy next to the binaries).</summary>
    public static KnowledgeBase KnowledgeBase => Trained.Value.Knowledge;

    /// <summary>The pipeline trained on <see cref="KnowledgeBase"/>.</summary>
    public static MessageUnderstanding Pipeline => Trained.Value.Pipeline;
}
