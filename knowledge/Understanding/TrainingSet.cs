using KB = ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// The labelled phrasings the classifier learns from: the knowledge base's own examples and titles, and the
/// curated terms of the region's other languages (each term, and all of a language's terms together).
/// </summary>
public static class TrainingSet
{
    /// <summary>Class labels: every topic id, then smalltalk, handoff and out-of-scope.</summary>
    public static List<string> Labels(KB.KnowledgeBase knowledge)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        return [.. knowledge.Topics.Select(t => t.Id), MessageUnderstanding.SmalltalkLabel, MessageUnderstanding.HandoffLabel, MessageUnderstanding.OutOfScopeLabel];
    }

    /// <summary>Every training phrasing with its label; with <paramref name="terms"/> the topics' terms and with <paramref name="otherPhrasings"/> the intents' phrasings in other languages.</summary>
    public static IEnumerable<(string Text, string Label)> Examples(KB.KnowledgeBase knowledge, bool terms = false, bool otherPhrasings = false)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        foreach (var topic in knowledge.Topics)
        {
            foreach (var text in topic.ExamplesSv.Concat(topic.ExamplesEn).Append(topic.Title.Sv).Append(topic.Title.En))
            {
                yield return (text, topic.Id);
            }

            // Norwegian and Danish are read with Swedish in mind (their writers are often told as Swedish), so their
            // terms ("mva", "tollen", "moms") teach every model; the other languages' terms only the second models.
            foreach (var term in topic.Terms.Where(t => terms || t.Key is "nb" or "nn" or "da").SelectMany(t => t.Value))
            {
                yield return (term, topic.Id);
            }
        }

        var intents = knowledge.Intents;
        foreach (var text in intents.SmalltalkSv.Concat(intents.SmalltalkEn).Concat(otherPhrasings ? intents.SmalltalkOther : []))
        {
            yield return (text, MessageUnderstanding.SmalltalkLabel);
        }

        foreach (var text in intents.HandoffSv.Concat(intents.HandoffEn).Concat(otherPhrasings ? intents.HandoffOther : []))
        {
            yield return (text, MessageUnderstanding.HandoffLabel);
        }

        foreach (var text in intents.OutOfScopeSv.Concat(intents.OutOfScopeEn).Concat(otherPhrasings ? intents.OutOfScopeOther : []))
        {
            yield return (text, MessageUnderstanding.OutOfScopeLabel);
        }
    }
}
