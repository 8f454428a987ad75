using System.Globalization;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The company-facing conversation: welcome, and an answer to every message or card button from the
/// knowledge base, chosen by the understanding pipeline. (Clarify and handoff dialogs come next; until
/// then they answer with the best candidate and its contacts.)
/// </summary>
public sealed class ExportCenterConversation
{
    private static readonly Dictionary<MenuChoice, string> MenuTopics = new()
    {
        [MenuChoice.GettingStarted] = "export-start",
        [MenuChoice.Finance] = "export-finance",
        [MenuChoice.CustomsAndVat] = "customs-eori",
        [MenuChoice.Advisor] = "who-to-contact",
    };

    private readonly ConversationState _conversationState;
    private readonly IStatePropertyAccessor<ConversationData> _data;
    private readonly KnowledgeBase _knowledge;
    private readonly MessageUnderstanding _understanding;

    /// <summary>Creates the conversation over the bot's conversation state and the knowledge base.</summary>
    public ExportCenterConversation(ConversationState conversationState, KnowledgeBase knowledge, MessageUnderstanding understanding)
    {
        ArgumentNullException.ThrowIfNull(conversationState);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(understanding);
        _conversationState = conversationState;
        _knowledge = knowledge;
        _understanding = understanding;
        _data = conversationState.CreateProperty<ConversationData>(nameof(ConversationData));
    }

    /// <summary>Greets the company once per conversation, in the language of its locale.</summary>
    public async Task WelcomeAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var data = await _data.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        if (data.Welcomed)
        {
            return;
        }

        var language = ResolveLanguage(turnContext.Activity, data);
        var reply = MessageFactory.Attachment(ToAttachment(WelcomeCard.Build(language)));
        reply.Locale = language.ToLocale();
        await turnContext.SendActivityAsync(reply, cancellationToken);
        data.Welcomed = true;
        await _conversationState.SaveChangesAsync(turnContext, cancellationToken: cancellationToken);
    }

    /// <summary>Answers a message: typed text or the value of a card button.</summary>
    public async Task OnMessageAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var data = await _data.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        var activity = turnContext.Activity;
        IMessageActivity reply;
        if (TryReadButton(activity.Value, out var topicId) && _knowledge.TopicsById.TryGetValue(topicId, out var chosen))
        {
            var language = ResolveLanguage(activity, data);
            reply = Card(AnswerCard.Build(chosen, _knowledge, language), language);
        }
        else if (string.IsNullOrWhiteSpace(activity.Text))
        {
            var language = ResolveLanguage(activity, data);
            reply = Text(BotTexts.For(language).ReplyNoText, language);
        }
        else
        {
            var understood = _understanding.Understand(activity.Text);
            var language = ResolveLanguage(activity, data, understood.Language);
            reply = Reply(understood, language);
        }

        await turnContext.SendActivityAsync(reply, cancellationToken);
        await _conversationState.SaveChangesAsync(turnContext, cancellationToken: cancellationToken);
    }

    private IMessageActivity Reply(MessageUnderstandingResult understood, ConversationLanguage language)
    {
        var texts = BotTexts.For(language);
        var best = _understanding.Topic(understood.Topic ?? (understood.Candidates.Count > 0 ? understood.Candidates[0].Topic : null));
        switch (understood.Action)
        {
            case MessageAction.Smalltalk:
                return Card(WelcomeCard.Build(language, texts.SmalltalkReply), language);
            case MessageAction.OutOfScope:
                return Card(WelcomeCard.Build(language, texts.OutOfScopeReply), language);
            case MessageAction.Handoff:
                var topic = _understanding.Topic(understood.Topic) ?? _knowledge.TopicsById[MenuTopics[MenuChoice.Advisor]];
                return Card(AnswerCard.Build(topic, _knowledge, language, texts.HandoffPlaceholder), language);
            case MessageAction.Clarify when best is not null:
                var others = understood.Candidates.Skip(1).Select(c => _knowledge.TopicsById[c.Topic]).ToList();
                return Card(AnswerCard.Build(best, _knowledge, language, texts.ClarifyIntro, others), language);
            case MessageAction.Answer when best is not null:
                return Card(AnswerCard.Build(best, _knowledge, language), language);
            default:
                return Card(WelcomeCard.Build(language, texts.ClarifyIntro), language);
        }
    }

    private static IMessageActivity Card(AdaptiveCard card, ConversationLanguage language)
    {
        var reply = MessageFactory.Attachment(ToAttachment(card));
        reply.Locale = language.ToLocale();
        return reply;
    }

    private static Activity Text(string text, ConversationLanguage language)
    {
        var reply = MessageFactory.Text(text);
        reply.TextFormat = TextFormatTypes.Plain;
        reply.Locale = language.ToLocale();
        return reply;
    }

    /// <summary>
    /// The topic a card button asks for: a welcome-menu choice or an "answer this topic" button.
    /// </summary>
    private static bool TryReadButton(object? value, out string topicId)
    {
        topicId = string.Empty;
        var data = value as JObject ?? (value is null ? null : JObject.FromObject(value));
        var action = data?.Value<string>(MenuChoices.ActionKey);
        if (action == MenuChoices.MenuAction && MenuChoices.TryParse(data!.Value<string>(MenuChoices.ChoiceKey), out var choice))
        {
            topicId = MenuTopics[choice];
            return true;
        }

        if (action == AnswerCard.TopicAction && data!.Value<string>(AnswerCard.TopicKey) is { } topic)
        {
            topicId = topic;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The language to answer in: the language the message is written in when it can be told (other
    /// languages than Swedish get English); otherwise the locale on the activity (Web Chat sends the page's
    /// language), otherwise the one remembered for the conversation, otherwise Swedish.
    /// </summary>
    private static ConversationLanguage ResolveLanguage(Activity activity, ConversationData data, string? detected = null)
    {
        var remembered = ConversationLanguages.FromLocale(data.Language);
        var language = detected is null or LanguageDetector.Undetermined
            ? ConversationLanguages.FromLocale(activity.Locale, remembered)
            : ConversationLanguages.FromLocale(detected);
        data.Language = language.ToIsoCode();
        return language;
    }

    private static Attachment ToAttachment(AdaptiveCard card) => new()
    {
        ContentType = AdaptiveCard.ContentType,
        Content = JObject.Parse(card.ToJson()),
    };
}
