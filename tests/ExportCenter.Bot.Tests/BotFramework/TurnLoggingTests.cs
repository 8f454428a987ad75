using ExportCenter.Bot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportCenter.Bot.Tests.BotFramework;

/// <summary>
/// Bot Builder writes a few Information entries on every turn ("ProcessActivityAsync", "SendActivitiesAsync for 1
/// activities."). They belong to its own Microsoft.Bot.* categories, which appsettings.json keeps at Warning, so
/// the log shows only what matters unless someone asks for them.
/// </summary>
public sealed class TurnLoggingTests
{
    [Fact]
    public async Task ATurn_WithTheShippedLogLevels_LogsNoInformationEntryFromBotBuilder()
    {
        var log = new RecordingLoggerProvider();
        using var app = App(log, new() { ["Logging:LogLevel:Default"] = "Information" }); // as appsettings.json has it

        var entries = await EntriesOfATurnAsync(app, log);

        Assert.DoesNotContain(entries, e => e.Category.StartsWith("Microsoft.Bot", StringComparison.Ordinal) && e.Level >= LogLevel.Information);
        Assert.DoesNotContain(entries, e => e.Level == LogLevel.Information && e.Message is "ProcessActivityAsync" or "SendActivitiesAsync for 1 activities.");
    }

    [Fact]
    public async Task BotBuildersTurnTraces_StayOutOfTheLog_EvenWithItsLevelTurnedToDebug()
    {
        // Its traces carry client-chosen ids; only its warnings and errors pass, whatever the configuration says.
        var log = new RecordingLoggerProvider();
        using var app = App(log, new() { ["Logging:LogLevel:Default"] = "Information", ["Logging:LogLevel:Microsoft.Bot"] = "Debug" });

        var entries = await EntriesOfATurnAsync(app, log);

        Assert.DoesNotContain(entries, e => e.Message == "ProcessActivityAsync");
    }

    private static BotApp App(RecordingLoggerProvider log, Dictionary<string, string?> settings) =>
        new(settings, s => s.AddSingleton<ILoggerProvider>(log));

    /// <summary>What one question answered from the knowledge base logs, start-up and the chat's opening left out.</summary>
    private static async Task<IReadOnlyList<RecordedLogEntry>> EntriesOfATurnAsync(BotApp app, RecordingLoggerProvider log)
    {
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        log.Clear();
        using (await chat.PostMessageAsync("Hur skaffar vi ett EORI-nummer?", "log-1"))
        {
        }

        return log.Entries;
    }
}
