using System.Runtime;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Bot.Hosting;

/// <summary>
/// What the start leaves for after the host listens, on the thread pool so that no request waits for it: the language
/// detector's letter-sequence models (about a second; most messages are told by their function words alone, and one
/// that needs the models before they are read waits for them), then the start-up's garbage. Start-up allocates far
/// more than a turn: the knowledge base's YAML, the EF Core model and migrations, the models as they load. Most of it
/// is dead by the time the bot listens, but an idle bot allocates too little to trigger the collections that would
/// return it, so without this an idle bot keeps tens of megabytes of it resident.
/// </summary>
public static partial class StartupCompletion
{
    public static void CompleteStartInBackground(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupCompletion));
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(() =>
        {
            try
            {
                RegionLanguageDetector.Shared.LoadModels();
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // The first message that needs the models tries again, and fails its turn with this error.
                LogLanguageModelsFailed(logger, ex);
            }

            // Once, aggressive: compact, and decommit what it freed.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }));
    }

    [LoggerMessage(EventId = 9002, Level = LogLevel.Error, Message = "The language models could not be read; messages in other languages than Swedish and English will fail.")]
    private static partial void LogLanguageModelsFailed(ILogger logger, Exception exception);
}
