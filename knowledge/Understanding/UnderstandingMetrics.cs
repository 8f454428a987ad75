using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// How long understanding a message takes, by the action it decided (<c>exportcenter.understanding.duration</c>, in
/// milliseconds, on the meter <see cref="MeterName"/>). Nothing of the message goes into a measurement.
/// </summary>
public static class UnderstandingMetrics
{
    public const string MeterName = "ExportCenter.Knowledge";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "exportcenter.understanding.duration", "ms", "Time to understand one message (language, entities, topic and intent), by the action decided.");

    /// <summary>The tag value of an action, as the metrics name it (<c>answer</c>, <c>clarify</c>, <c>out_of_scope</c>...).</summary>
    public static string Tag(MessageAction action) => action switch
    {
        MessageAction.Answer => "answer",
        MessageAction.Clarify => "clarify",
        MessageAction.Handoff => "handoff",
        MessageAction.OutOfScope => "out_of_scope",
        MessageAction.Smalltalk => "smalltalk",
        _ => "other",
    };

    internal static void Record(long started, MessageAction action)
    {
        if (Duration.Enabled)
        {
            Duration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("action", Tag(action)));
        }
    }
}
