using System.Runtime;

namespace ExportCenter.Bot.Hosting;

/// <summary>
/// Gives the start-up's garbage back once the host has started. Start-up allocates far more than a turn: the knowledge
/// base's YAML, the EF Core model and migrations, the language and entity models as they load, the understanding model's
/// file. Most of it is dead by the time the bot listens, but an idle bot allocates too little to trigger the collections
/// that would return it, so without this an idle bot keeps tens of megabytes of it resident.
/// </summary>
public static class StartupMemory
{
    public static void CollectStartupGarbage(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() =>
        {
            // Once, on the thread pool, so that no request waits for it; aggressive: compact, and decommit what it freed.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }));
    }
}
