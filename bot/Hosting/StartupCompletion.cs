using System.Runtime;

namespace ExportCenter.Bot.Hosting;

/// <summary>
/// Gives the start-up's garbage back once the host has started, on the thread pool so that no request waits for it.
/// Start-up allocates far more than a turn: the knowledge base's YAML, the EF Core model and migrations, the models
/// as they load. Most of it is dead by the time the bot listens, but an idle bot allocates too little to trigger the
/// collections that would return it, so without this an idle bot keeps tens of megabytes of it resident. (The
/// language detector's letter-sequence models are not loaded at start at all: most messages are told by their
/// function words, and the first one that needs the models loads them, about a second and 15-18 MB.)
/// </summary>
public static class StartupCompletion
{
    public static void CompleteStartInBackground(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() =>
        {
            // Once, aggressive: compact, and decommit what it freed.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }));
    }
}
