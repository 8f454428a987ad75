using System.Diagnostics;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Extensions.Options;
using KB = ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Bot.Knowledge;

/// <summary>
/// The understanding model at start-up without training it whenever it can: the model the build trained next to the
/// binaries (<c>kb model</c>, run by the build), else the one a previous start cached (<c>Knowledge:ModelCache</c>),
/// else trained now and cached for the next start. A stored model counts only when it was trained from this knowledge
/// base by this code (<see cref="UnderstandingModel.KeyFor"/>), so an edited knowledge base is retrained at the next start.
/// </summary>
public sealed partial class UnderstandingModelSource(KB.KnowledgeBase knowledge, IOptions<KnowledgeOptions> options, ILogger<UnderstandingModelSource> logger)
{
    /// <summary>Where the build writes the model it trained: next to the binaries.</summary>
    public static string BuiltModel => Path.Combine(AppContext.BaseDirectory, UnderstandingModelFile.FileName);

    /// <summary>Reads or trains the model, and logs which (file paths and timings only: nothing a visitor wrote).</summary>
    public UnderstandingModel Load()
    {
        var cache = string.IsNullOrWhiteSpace(options.Value.ModelCache) ? null : Path.GetFullPath(options.Value.ModelCache);
        var started = Stopwatch.GetTimestamp();
        var load = UnderstandingModelFile.LoadOrTrain(knowledge, cache is null ? [BuiltModel] : [BuiltModel, cache], cache);
        var elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        foreach (var passed in load.PassedOver)
        {
            if (passed.Status == ModelFileStatus.Damaged)
            {
                LogDamaged(logger, passed.File, passed.Problem);
            }
            else
            {
                LogStale(logger, passed.File);
            }
        }

        if (load.ReadFrom is not null)
        {
            LogRead(logger, load.ReadFrom, elapsed);
        }
        else if (load.WrittenTo is not null)
        {
            LogTrained(logger, elapsed, load.WrittenTo);
        }
        else if (load.WriteError is not null)
        {
            LogNotCached(logger, load.WriteError, elapsed, cache);
        }
        else
        {
            LogTrainedNoCache(logger, elapsed);
        }

        return load.Model;
    }

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Understanding model read from {File} in {Elapsed} ms.")]
    private static partial void LogRead(ILogger logger, string file, long elapsed);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Understanding model trained in {Elapsed} ms and kept in {File}.")]
    private static partial void LogTrained(ILogger logger, long elapsed, string file);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "The understanding model in {File} was trained from another knowledge base or by other code; training anew.")]
    private static partial void LogStale(ILogger logger, string file);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "The understanding model in {File} is damaged ({Problem}); training anew.")]
    private static partial void LogDamaged(ILogger logger, string file, string? problem);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Warning, Message = "Understanding model trained in {Elapsed} ms, but it could not be kept in {File}; the next start trains it again.")]
    private static partial void LogNotCached(ILogger logger, Exception exception, long elapsed, string? file);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Understanding model trained in {Elapsed} ms; not kept, since Knowledge:ModelCache is empty.")]
    private static partial void LogTrainedNoCache(ILogger logger, long elapsed);
}
