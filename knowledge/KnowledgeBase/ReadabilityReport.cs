namespace ExportCenter.Knowledge.KnowledgeBase;

/// <summary>One first-shown text of a topic and how readable it is.</summary>
public sealed record ReadabilityLine(string TopicId, string Field, string Language, ReadabilityScore Score, string? Problem);

/// <summary>
/// Every text a company sees first, per topic: the answer, each facet's answer and each follow-up option's
/// answer, in Swedish (LIX) and English (Flesch), against the limits of <see cref="Readability"/>.
/// </summary>
public static class ReadabilityReport
{
    public static IReadOnlyList<ReadabilityLine> For(KnowledgeBase knowledge)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        var lines = new List<ReadabilityLine>();
        foreach (var topic in knowledge.Topics)
        {
            Add(lines, topic.Id, "answer", topic.Answer);
            foreach (var (facet, text) in topic.Facets.OrderBy(f => f.Key))
            {
                Add(lines, topic.Id, "facets." + facet.Id(), text);
            }

            foreach (var followUp in topic.FollowUps)
            {
                foreach (var option in followUp.Options)
                {
                    Add(lines, topic.Id, $"follow_ups.{followUp.Id}.{option.Id}", option.Answer);
                }
            }
        }

        return lines;
    }

    private static void Add(List<ReadabilityLine> lines, string topic, string field, LocalizedText text)
    {
        lines.Add(new ReadabilityLine(topic, field + ".sv", "sv", Readability.Score(text.Sv), Readability.Problem(text.Sv, swedish: true)));
        lines.Add(new ReadabilityLine(topic, field + ".en", "en", Readability.Score(text.En), Readability.Problem(text.En, swedish: false)));
    }
}
