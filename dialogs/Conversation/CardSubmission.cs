using ExportCenter.Knowledge.KnowledgeBase;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// What a card button asked for, read from the submit data an Adaptive Card sends with the message
/// (<c>Activity.Value</c>): a follow-up option, a person, or the answer of a topic.
/// </summary>
internal abstract record CardSubmission
{
    private CardSubmission()
    {
    }

    /// <summary>The company chose an option of a topic's follow-up question.</summary>
    public sealed record FollowUpChosen(Topic Topic, FollowUpOption Option) : CardSubmission;

    /// <summary>The company asked for a person (the welcome menu's advisor entry, or "something else").</summary>
    public sealed record PersonAsked : CardSubmission;

    /// <summary>The company asked for the answer of a topic (a welcome-menu entry or an alternative offered by a clarification).</summary>
    public sealed record TopicChosen(Topic Topic) : CardSubmission;

    /// <summary>A button for a topic the knowledge base does not have (an old card): there is nothing to answer.</summary>
    public sealed record UnknownTopic : CardSubmission;

    /// <summary>What the submit data asks for, or null when it is no card button of this bot (the message is then read as text).</summary>
    public static CardSubmission? Read(object? value, KnowledgeBase knowledge)
    {
        var data = value as JObject ?? (value is null ? null : JObject.FromObject(value));
        var action = data?.Value<string>(MenuChoices.ActionKey);
        if (action == AnswerCard.FollowUpAction && ReadFollowUp(data!, knowledge) is { } followUp)
        {
            return followUp;
        }

        if (action == MenuChoices.MenuAction && MenuChoices.TryParse(data!.Value<string>(MenuChoices.ChoiceKey), out var choice))
        {
            return choice == MenuChoice.Advisor ? new PersonAsked() : ChosenTopic(choice.TopicId(), knowledge);
        }

        if (action == AnswerCard.TopicAction && data!.Value<string>(AnswerCard.TopicKey) is { } topicId)
        {
            return ChosenTopic(topicId, knowledge);
        }

        return null;
    }

    private static FollowUpChosen? ReadFollowUp(JObject data, KnowledgeBase knowledge)
    {
        if (!knowledge.TopicsById.TryGetValue(data.Value<string>(AnswerCard.TopicKey) ?? string.Empty, out var topic))
        {
            return null;
        }

        var optionId = data.Value<string>(AnswerCard.OptionKey);
        var option = topic.FollowUps.SelectMany(f => f.Options).FirstOrDefault(o => o.Id == optionId);
        return option is null ? null : new FollowUpChosen(topic, option);
    }

    private static CardSubmission ChosenTopic(string topicId, KnowledgeBase knowledge) =>
        knowledge.TopicsById.TryGetValue(topicId, out var topic) ? new TopicChosen(topic) : new UnknownTopic();
}
