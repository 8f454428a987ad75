using System.Globalization;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Dialogs.DialogLayer;
using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The company-facing conversation: welcome, and an answer to every message or card button from the
/// knowledge base, chosen by the understanding pipeline. (Clarify and handoff dialogs come next; until
/// then they answer with the best candidate and its contacts.)
/// </summary>
public sealed partial class ExportCenterConversation
{
    private static readonly Dictionary<MenuChoice, string> MenuTopics = new()
    {
        [MenuChoice.GettingStarted] = "export-start",
        [MenuChoice.Finance] = "export-finance",
        [MenuChoice.CustomsAndVat] = "customs-eori",
        [MenuChoice.Advisor] = "who-to-contact",
    };

    private const string LanguageKey = "exportcenter.language";
    private const string RecentKey = "exportcenter.recent";
    private const int RecentLimit = 12;
    private readonly ConversationState _conversationState;
    private readonly IStatePropertyAccessor<ConversationData> _data;
    private readonly KnowledgeBase _knowledge;
    private readonly MessageUnderstanding _understanding;
    private readonly ITicketService _tickets;
    private readonly ILogger<ExportCenterConversation> _logger;
    private readonly DialogRunner _dialogs;

    /// <summary>Creates the conversation over the bot's conversation state, the knowledge base and the ticket system.</summary>
    public ExportCenterConversation(ConversationState conversationState, KnowledgeBase knowledge, MessageUnderstanding understanding, ITicketService tickets, ILogger<ExportCenterConversation> logger)
    {
        ArgumentNullException.ThrowIfNull(conversationState);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(understanding);
        ArgumentNullException.ThrowIfNull(tickets);
        _conversationState = conversationState;
        _knowledge = knowledge;
        _understanding = understanding;
        _tickets = tickets;
        _logger = logger;
        _data = conversationState.CreateProperty<ConversationData>(nameof(ConversationData));
        _dialogs = new DialogRunner(conversationState, new DialogSet().Add(new PromptDialog<HandoffState>(
            HandoffDialog.Id,
            LanguageOf,
            HandoffDialog.Steps,
            CompleteHandoffAsync,
            GiveUpHandoffAsync)));
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
        var reply = MessageFactory.Attachment(ToAttachment(WelcomeCard.Build(language, privacyNotice: PrivacyNotice(language))));
        reply.Locale = language.ToLocale();
        await turnContext.SendActivityAsync(reply, cancellationToken);
        data.Welcomed = true;
        await _data.SetAsync(turnContext, data, cancellationToken);
        await _conversationState.SaveChangesAsync(turnContext, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Answers a message: a global command (help, cancel, start over, a person, a language), the next answer
    /// in a running dialog, a card button, a status question, or a question for the knowledge base.
    /// </summary>
    public async Task OnMessageAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var data = await _data.GetAsync(turnContext, () => new ConversationData(), cancellationToken);
        var dialog = await _dialogs.ContextAsync(turnContext, cancellationToken);
        var activity = turnContext.Activity;
        var interruption = Interruptions.Detect(activity.Text);
        var language = interruption switch
        {
            Interruption.Swedish => SetLanguage(data, ConversationLanguage.Swedish),
            Interruption.English => SetLanguage(data, ConversationLanguage.English),
            _ => dialog.Stack.IsEmpty ? ResolveLanguage(activity, data, Detect(activity.Text)) : ResolveLanguage(activity, data),
        };
        turnContext.TurnState[LanguageKey] = language;
        turnContext.TurnState[RecentKey] = Remember(data, activity.Text);
        var texts = BotTexts.For(language);

        switch (interruption)
        {
            case Interruption.Cancel or Interruption.StartOver:
                dialog.CancelAll();
                await turnContext.SendActivityAsync(interruption == Interruption.Cancel ? Card(WelcomeCard.Build(language, texts.Cancelled), language) : Card(WelcomeCard.Build(language), language), cancellationToken);
                break;
            case Interruption.Help:
                await turnContext.SendActivityAsync(Text(texts.Help, language), cancellationToken);
                await dialog.RepeatAsync(cancellationToken);
                break;
            case Interruption.Swedish or Interruption.English:
                await turnContext.SendActivityAsync(Text(texts.SwitchedLanguage, language), cancellationToken);
                await dialog.RepeatAsync(cancellationToken);
                break;
            case Interruption.Person:
                dialog.CancelAll();
                await BeginHandoffAsync(dialog, data, data.LastTopic, data.LastConfidence, cancellationToken);
                break;
            default:
                if (!dialog.Stack.IsEmpty && !string.IsNullOrWhiteSpace(activity.Text))
                {
                    await dialog.ContinueAsync(cancellationToken);
                }
                else
                {
                    await AnswerAsync(turnContext, dialog, data, language, cancellationToken);
                }

                break;
        }

        // The SDK hands out copies of stored values: set them back so the changes are saved.
        await _data.SetAsync(turnContext, data, cancellationToken);
        await _dialogs.RememberAsync(dialog, cancellationToken);
        await _conversationState.SaveChangesAsync(turnContext, cancellationToken: cancellationToken);
    }

    private async Task AnswerAsync(ITurnContext turnContext, DialogContext dialog, ConversationData data, ConversationLanguage language, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        if (TryReadFollowUp(activity.Value) is { } refined)
        {
            var (topicOfOption, option) = refined;
            var refinedReply = Text(option.Answer.In(language), language);
            data.LastTopic = topicOfOption.Id;
            AskWhetherItHelped(refinedReply, language, keepText: true);
            data.AwaitingFeedback = true;
            await turnContext.SendActivityAsync(refinedReply, cancellationToken);
            return;
        }

        if (TryReadButton(activity.Value, out var topicId, out var wantsPerson))
        {
            if (wantsPerson)
            {
                await BeginHandoffAsync(dialog, data, data.LastTopic, data.LastConfidence, cancellationToken);
            }
            else if (_knowledge.TopicsById.TryGetValue(topicId, out var chosen))
            {
                data.LastTopic = chosen.Id;
                var answer = Card(AnswerCard.Build(chosen, _knowledge, language), language);
                AskWhetherItHelped(answer, language);
                data.AwaitingFeedback = true;
                await turnContext.SendActivityAsync(answer, cancellationToken);
            }

            return;
        }

        if (string.IsNullOrWhiteSpace(activity.Text))
        {
            await turnContext.SendActivityAsync(Text(BotTexts.For(language).ReplyNoText, language), cancellationToken);
            return;
        }

        var awaitingFeedback = data.AwaitingFeedback;
        data.AwaitingFeedback = false;
        if (awaitingFeedback && Answers.YesNo(activity.Text, out var helped))
        {
            if (helped)
            {
                await turnContext.SendActivityAsync(Text(BotTexts.For(language).GladItHelped, language), cancellationToken);
            }
            else
            {
                await BeginHandoffAsync(dialog, data, data.LastTopic, data.LastConfidence, cancellationToken);
            }

            return;
        }

        if (TicketStatusQuestion.IsMatch(activity.Text))
        {
            await SendStatusAsync(turnContext, language, cancellationToken);
            return;
        }

        var understood = _understanding.Understand(activity.Text);
        if (understood.Action == MessageAction.Handoff)
        {
            if (!AskedOnlyForAPerson(activity.Text))
            {
                data.LastQuestion = activity.Text.Trim();
            }

            await BeginHandoffAsync(dialog, data, understood.Topic ?? data.LastTopic, understood.Confidence, cancellationToken, understood.Entities);
            return;
        }

        var reply = Reply(understood, language);
        if (understood.Action is MessageAction.Answer or MessageAction.Clarify)
        {
            data.LastQuestion = activity.Text.Trim();
            data.LastTopic = understood.Topic ?? (understood.Candidates.Count > 0 ? understood.Candidates[0].Topic : null);
            data.LastConfidence = understood.Confidence;
            AskWhetherItHelped(reply, language);
            data.AwaitingFeedback = true;
        }

        await turnContext.SendActivityAsync(reply, cancellationToken);
    }

    private static async Task BeginHandoffAsync(DialogContext dialog, ConversationData data, string? topicId, float confidence, CancellationToken cancellationToken, IReadOnlyList<ExportCenter.Knowledge.Entities.Entity>? entities = null)
    {
        entities ??= [];
        var initial = new HandoffState
        {
            TopicId = topicId,
            Confidence = confidence,
            Summary = data.LastQuestion,
            SuggestedContact = entities.FirstOrDefault(e => e.Kind == EntityKind.Email)?.Value ?? entities.FirstOrDefault(e => e.Kind == EntityKind.Phone)?.Text.Trim(),
            SuggestedMunicipality = entities.FirstOrDefault(e => e.Kind == EntityKind.Municipality)?.Value,
        };
        await dialog.BeginAsync(HandoffDialog.Id, cancellationToken, initial);
    }

    private async Task CompleteHandoffAsync(ITurnContext turn, HandoffState state, CancellationToken cancellationToken)
    {
        var language = LanguageOf(turn);
        var texts = HandoffTexts.For(language);
        var topic = _understanding.Topic(state.TopicId) ?? _knowledge.TopicsById[MenuTopics[MenuChoice.Advisor]];
        if (state.Consent != true)
        {
            await turn.SendActivityAsync(Card(AnswerCard.Build(topic, _knowledge, language, texts.NoConsent), language), cancellationToken);
            return;
        }

        var reference = turn.Activity.GetConversationReference();
        var recent = turn.TurnState.Get<List<string>>(RecentKey) ?? [];
        var request = new HandoffRequest(
            state,
            language.ToIsoCode(),
            turn.Activity.ChannelId,
            turn.Activity.Conversation.Id,
            JsonConvert.SerializeObject(reference),
            string.Join(Environment.NewLine, recent.Select(m => "> " + m)));
        TicketReceipt receipt;
        try
        {
            receipt = await _tickets.CreateAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing is promised unless the ticket is written: the company is told plainly instead.
            LogTicketNotSaved(_logger, ex);
            await turn.SendActivityAsync(Card(AnswerCard.Build(topic, _knowledge, language, texts.NotSaved), language), cancellationToken);
            return;
        }

        var organisation = _knowledge.OrganisationsById[receipt.OrganisationId].Name.In(language);
        await turn.SendActivityAsync(
            Text(string.Format(CultureInfo.InvariantCulture, texts.Confirmation, receipt.Number, organisation, DeadlineText.Format(receipt.DueLocal, language)), language),
            cancellationToken);
    }

    private async Task GiveUpHandoffAsync(ITurnContext turn, HandoffState state, CancellationToken cancellationToken)
    {
        var language = LanguageOf(turn);
        var topic = _understanding.Topic(state.TopicId) ?? _knowledge.TopicsById[MenuTopics[MenuChoice.Advisor]];
        await turn.SendActivityAsync(Card(AnswerCard.Build(topic, _knowledge, language, HandoffTexts.For(language).GiveUp), language), cancellationToken);
    }

    private async Task SendStatusAsync(ITurnContext turn, ConversationLanguage language, CancellationToken cancellationToken)
    {
        var texts = BotTexts.For(language);
        var tickets = await _tickets.ForConversationAsync(turn.Activity.ChannelId, turn.Activity.Conversation.Id, cancellationToken);
        if (tickets.Count == 0)
        {
            await turn.SendActivityAsync(Text(texts.StatusNone, language), cancellationToken);
            return;
        }

        var lines = tickets.Select(t => string.Format(
            CultureInfo.InvariantCulture,
            texts.StatusLine,
            t.Number,
            t.Status switch { "Claimed" => texts.StatusClaimed, "Resolved" => texts.StatusResolved, _ => texts.StatusOpen },
            _knowledge.OrganisationsById.TryGetValue(t.OrganisationId, out var o) ? o.Name.In(language) : t.OrganisationId,
            DeadlineText.Format(t.DueLocal, language)));
        await turn.SendActivityAsync(Text(string.Join(Environment.NewLine, lines), language), cancellationToken);
    }

    /// <summary>The language this turn answers in (set at the start of the turn).</summary>
    private static ConversationLanguage LanguageOf(ITurnContext turn) =>
        turn.TurnState.Get<object>(LanguageKey) is ConversationLanguage l ? l : ConversationLanguage.Swedish;

    /// <summary>Keeps the company's last messages (for the advisor's excerpt) and returns them.</summary>
    private static List<string> Remember(ConversationData data, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            data.RecentMessages.Add(text.Trim().Length > 500 ? text.Trim()[..500] : text.Trim());
            if (data.RecentMessages.Count > RecentLimit)
            {
                data.RecentMessages.RemoveRange(0, data.RecentMessages.Count - RecentLimit);
            }
        }

        return data.RecentMessages;
    }

    /// <summary>The privacy notice on the chat page's host (the welcome card links to it).</summary>
    private static Uri PrivacyNotice(ConversationLanguage language) =>
        new($"/privacy.html?lang={language.ToIsoCode()}", UriKind.Relative);

    private static ConversationLanguage SetLanguage(ConversationData data, ConversationLanguage language)
    {
        data.Language = language.ToIsoCode();
        return language;
    }

    private static string? Detect(string? text) => string.IsNullOrWhiteSpace(text) ? null : LanguageDetector.Detect(text);

    /// <summary>A message that only asks for a person (then the earlier question is the better summary).</summary>
    private static bool AskedOnlyForAPerson(string text) => TextNormalizer.Tokens(text).Length <= 8;

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "A handoff ticket could not be written; the company was told and nothing was promised.")]
    private static partial void LogTicketNotSaved(ILogger logger, Exception exception);

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

    /// <summary>The topic and option of a follow-up button, or null.</summary>
    private (Topic Topic, FollowUpOption Option)? TryReadFollowUp(object? value)
    {
        var data = value as JObject ?? (value is null ? null : JObject.FromObject(value));
        if (data?.Value<string>(MenuChoices.ActionKey) != AnswerCard.FollowUpAction
            || !_knowledge.TopicsById.TryGetValue(data.Value<string>(AnswerCard.TopicKey) ?? string.Empty, out var topic))
        {
            return null;
        }

        var optionId = data.Value<string>(AnswerCard.OptionKey);
        var option = topic.FollowUps.SelectMany(f => f.Options).FirstOrDefault(o => o.Id == optionId);
        return option is null ? null : (topic, option);
    }

    /// <summary>Adds "Did this help?" with yes/no buttons (suggested actions) to an answer.</summary>
    private static void AskWhetherItHelped(IMessageActivity answer, ConversationLanguage language, bool keepText = false)
    {
        var texts = BotTexts.For(language);
        var handoff = HandoffTexts.For(language);
        answer.Text = keepText ? answer.Text + " " + texts.DidThisHelp : texts.DidThisHelp;
        answer.SuggestedActions = new SuggestedActions
        {
            Actions =
            [
                new CardAction { Type = ActionTypes.ImBack, Title = handoff.Yes, Value = handoff.Yes },
                new CardAction { Type = ActionTypes.ImBack, Title = handoff.No, Value = handoff.No },
            ],
        };
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
    private static bool TryReadButton(object? value, out string topicId, out bool wantsPerson)
    {
        topicId = string.Empty;
        wantsPerson = false;
        var data = value as JObject ?? (value is null ? null : JObject.FromObject(value));
        var action = data?.Value<string>(MenuChoices.ActionKey);
        if (action == MenuChoices.MenuAction && MenuChoices.TryParse(data!.Value<string>(MenuChoices.ChoiceKey), out var choice))
        {
            wantsPerson = choice == MenuChoice.Advisor;
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

    private static readonly System.Text.RegularExpressions.Regex TicketStatusQuestion = new(
        @"^\s*(status|ärendestatus|arendestatus)\s*\??\s*$|hur går det med (mitt|vårt) ärende|hur gar det med (mitt|vart) arende|status (på|pa|of) (mitt|vårt|vart|my|our) (ärende|arende|case)|how is my case|what is the status of my case|case status",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
