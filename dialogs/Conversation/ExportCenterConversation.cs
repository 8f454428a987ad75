using ExportCenter.Dialogs.DialogLayer;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The company-facing conversation: the welcome, then for every message a global command, the next answer
/// in the handoff dialog, a card button, a status question or a question for the knowledge base, chosen by
/// the understanding pipeline. This type routes the turn; the replies, the handoff and the status are
/// their own types.
/// </summary>
public sealed class ExportCenterConversation
{
    private readonly ConversationState _conversationState;
    private readonly IStatePropertyAccessor<ConversationData> _data;
    private readonly KnowledgeBase _knowledge;
    private readonly MessageUnderstanding _understanding;
    private readonly Replies _replies;
    private readonly TicketStatusReply _status;
    private readonly DialogRunner _dialogs;
    private readonly IAnswerFeedback _feedback;
    private readonly IAnswerRecords _records;
    private readonly IPrivacyRequests _privacy;
    private readonly ITicketService _tickets;

    /// <summary>Creates the conversation over the bot's conversation state, the knowledge base and the ticket system.</summary>
    public ExportCenterConversation(ConversationState conversationState, KnowledgeBase knowledge, MessageUnderstanding understanding, ITicketService tickets, IAnswerFeedback feedback, IAnswerRecords records, IPrivacyRequests privacy, ILogger<ExportCenterConversation> logger)
    {
        ArgumentNullException.ThrowIfNull(privacy);
        _privacy = privacy;
        ArgumentNullException.ThrowIfNull(feedback);
        ArgumentNullException.ThrowIfNull(records);
        _feedback = feedback;
        _records = records;
        ArgumentNullException.ThrowIfNull(conversationState);
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(understanding);
        ArgumentNullException.ThrowIfNull(tickets);
        _conversationState = conversationState;
        _tickets = tickets;
        _knowledge = knowledge;
        _understanding = understanding;
        _replies = new Replies(knowledge, understanding);
        _status = new TicketStatusReply(knowledge, tickets);
        _data = conversationState.CreateProperty<ConversationData>(nameof(ConversationData));
        var handoff = new HandoffFlow(knowledge, understanding, tickets, _replies, logger);
        _dialogs = new DialogRunner(conversationState, new DialogSet().Add(handoff.Dialog));
    }

    /// <summary>Greets the company once per conversation, in the language of its locale.</summary>
    public async Task WelcomeAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var data = await DataAsync(turnContext, cancellationToken);
        if (data.Welcomed)
        {
            return;
        }

        await turnContext.SendActivityAsync(Replies.Welcome(TurnLanguage.ForWelcome(turnContext.Activity, data)), cancellationToken);
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
        var data = await DataAsync(turnContext, cancellationToken);
        var dialog = await _dialogs.ContextAsync(turnContext, cancellationToken);
        var activity = turnContext.Activity;
        var interruption = Interruptions.Detect(activity.Text);
        var language = TurnLanguage.Choose(turnContext, data, interruption, inDialog: !dialog.Stack.IsEmpty, _understanding.Languages);
        StampLocale(turnContext, language);
        HandoffFlow.RememberMessage(turnContext, data);
        var texts = BotTexts.For(language);
        TurnOutcome.SetAction(turnContext, interruption switch
        {
            Interruption.Person => "handoff",
            Interruption.None => dialog.Stack.IsEmpty || string.IsNullOrWhiteSpace(activity.Text) ? "none" : "dialog",
            _ => "command",
        });

        switch (interruption)
        {
            case Interruption.Cancel or Interruption.StartOver:
                dialog.CancelAll();
                if (interruption == Interruption.StartOver)
                {
                    ForgetContext(data);
                }

                await turnContext.SendActivityAsync(interruption == Interruption.Cancel ? Replies.Menu(language, texts.Cancelled) : Replies.Menu(language), cancellationToken);
                break;
            case Interruption.Help:
                await turnContext.SendActivityAsync(Replies.Text(texts.Help, language), cancellationToken);
                await dialog.RepeatAsync(cancellationToken);
                break;
            case Interruption.Swedish or Interruption.English:
                await turnContext.SendActivityAsync(Replies.Text(texts.SwitchedLanguage, language), cancellationToken);
                await dialog.RepeatAsync(cancellationToken);
                break;
            case Interruption.Person:
                dialog.CancelAll();
                Audit(turnContext, "handoff", AnswerDecisions.Person, language, data.LastTopic);
                await HandoffFlow.BeginAsync(dialog, data, data.LastTopic, data.LastConfidence, cancellationToken);
                break;
            default:
                if (!dialog.Stack.IsEmpty && !string.IsNullOrWhiteSpace(activity.Text))
                {
                    await dialog.ContinueAsync(cancellationToken);
                }
                else
                {
                    await AnswerLanguageNotice.SendOnceAsync(turnContext, data, cancellationToken);
                    await AnswerAsync(turnContext, dialog, data, language, cancellationToken);
                }

                break;
        }

        if (turnContext.TurnState.ContainsKey(HandoffFlow.FinishedKey))
        {
            // The case is with an advisor now; a new question starts from scratch.
            ForgetContext(data);
        }

        // The SDK may hand out a copy of a stored value (when the store did not read it typed): set it back so the changes are saved.
        await _data.SetAsync(turnContext, data, cancellationToken);
        await _dialogs.RememberAsync(dialog, cancellationToken);
        await _conversationState.SaveChangesAsync(turnContext, cancellationToken: cancellationToken);
    }

    private async Task AnswerAsync(ITurnContext turnContext, DialogContext dialog, ConversationData data, ConversationLanguage language, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        switch (CardSubmission.Read(activity.Value, _knowledge))
        {
            case CardSubmission.FollowUpChosen(var topic, var option):
                var refined = Replies.FollowUpAnswer(option, language);
                data.LastTopic = topic.Id;
                Audit(turnContext, "answer", AnswerDecisions.Button, language, topic.Id);
                Replies.AskWhetherItHelped(refined, language, keepText: true);
                data.AwaitingFeedback = true;
                await turnContext.SendActivityAsync(refined, cancellationToken);
                return;
            case CardSubmission.PersonAsked:
                Audit(turnContext, "handoff", AnswerDecisions.Person, language, data.LastTopic);
                await HandoffFlow.BeginAsync(dialog, data, data.LastTopic, data.LastConfidence, cancellationToken);
                return;
            case CardSubmission.TopicChosen(var chosen):
                data.LastTopic = chosen.Id;
                Audit(turnContext, "answer", AnswerDecisions.Button, language, chosen.Id);
                var answer = _replies.Answer(chosen, language);
                Replies.AskWhetherItHelped(answer, language);
                data.AwaitingFeedback = true;
                await turnContext.SendActivityAsync(answer, cancellationToken);
                return;
            case CardSubmission.UnknownTopic:
                return;
        }

        if (string.IsNullOrWhiteSpace(activity.Text))
        {
            await turnContext.SendActivityAsync(Replies.Text(BotTexts.For(language).ReplyNoText, language), cancellationToken);
            return;
        }

        var awaitingFeedback = data.AwaitingFeedback;
        data.AwaitingFeedback = false;
        // Only a short yes or no answers "did this help?"; "okej, vem ska vi vända oss till då?" is a new question.
        if (awaitingFeedback && activity.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 3 && Answers.YesNo(activity.Text, out var helped))
        {
            if (data.LastTopic is { } answered)
            {
                await _feedback.RecordAsync(new AnswerFeedback(answered, data.LastFacet, helped, language.ToIsoCode()), cancellationToken);
            }

            if (helped)
            {
                await turnContext.SendActivityAsync(Replies.Text(BotTexts.For(language).GladItHelped, language), cancellationToken);
            }
            else
            {
                // The answer did not help: the question goes to the editors (masked), and the company to a person.
                if (data.LastQuestion is { } question)
                {
                    _records.RecordUnanswered(new UnansweredQuestionEntry(activity.ChannelId, activity.Conversation.Id, "not_helped", data.LastTopic, language.ToIsoCode(), question));
                }

                Audit(turnContext, "handoff", AnswerDecisions.Person, language, data.LastTopic, data.LastFacet);
                await HandoffFlow.BeginAsync(dialog, data, data.LastTopic, data.LastConfidence, cancellationToken);
            }

            return;
        }

        if (ShortReplies.IsEmojiOnly(activity.Text))
        {
            await turnContext.SendActivityAsync(ShortReplies.Emoji(language), cancellationToken);
            return;
        }

        if (TicketStatusReply.IsQuestion(activity.Text))
        {
            TurnOutcome.SetAction(turnContext, "status");
            Audit(turnContext, "status", AnswerDecisions.Status, language);
            await _status.SendAsync(turnContext, language, cancellationToken);
            return;
        }

        if (PrivacyRequests.Detect(activity.Text) is { } privacyKind)
        {
            // "radera mina uppgifter": a request the coordinators act on, not a question for the knowledge base.
            TurnOutcome.SetAction(turnContext, "privacy");
            Audit(turnContext, "privacy", AnswerDecisions.Fixed, language);
            var reference = await _privacy.RecordAsync(privacyKind, activity.ChannelId, activity.Conversation.Id, language.ToIsoCode(), cancellationToken);
            await turnContext.SendActivityAsync(Replies.Text(PrivacyRequests.Reply(privacyKind, reference, language), language), cancellationToken);
            return;
        }

        var understood = _understanding.Understand(activity.Text);
        TurnOutcome.SetAction(turnContext, UnderstandingMetrics.Tag(understood.Action));
        var words = activity.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (words <= 8 && ShortReplies.Kind(activity.Text) == SmalltalkKind.AreYouABot)
        {
            // "Am I talking to a human?" is answered honestly before anything else.
            Audit(turnContext, "smalltalk", AnswerDecisions.Fixed, language, understood: understood);
            await turnContext.SendActivityAsync(ShortReplies.For(SmalltalkKind.AreYouABot, language)!, cancellationToken);
            return;
        }

        var elsewhere = ShortReplies.Pointer(activity.Text, language);
        if (elsewhere is not null && (understood.Action != MessageAction.Answer || understood.Confidence < 0.9f))
        {
            // Hiring, the annual report, taxes, starting a business: another public service answers these.
            Audit(turnContext, "out_of_scope", AnswerDecisions.Fixed, language, understood: understood);
            await turnContext.SendActivityAsync(Replies.Text(BotTexts.For(language).OutOfScopeReply + " " + elsewhere, language), cancellationToken);
            return;
        }

        // "vem ska jag kontakta?" about the current topic asks whom to contact, not for a ticket.
        var contextualFacet = understood.Action == MessageAction.Handoff && understood.Facet is not null && data.LastTopic is not null
            && words <= 8 && !MessageUnderstanding.AsksExplicitlyForAPerson(activity.Text);
        if (understood.Action == MessageAction.Handoff && !contextualFacet)
        {
            if (!HandoffFlow.AsksOnlyForAPerson(activity.Text))
            {
                data.LastQuestion = activity.Text.Trim();
            }

            Audit(turnContext, "handoff", AnswerDecisions.Classifier, language, understood.Topic ?? data.LastTopic, understood: understood);
            await HandoffFlow.BeginAsync(dialog, data, understood.Topic ?? data.LastTopic, understood.Confidence, cancellationToken, understood.Entities);
            return;
        }

        // "hur får jag tag på dom?" right after an organisation's card asks for that organisation's contacts.
        var previousOrganisation = data.LastOrganisation;
        data.LastOrganisation = null;
        var asked = understood.Organisation
            ?? (understood.Facet == Facet.Contact && words <= 8 && understood.Action != MessageAction.Handoff && ContextReading.RefersBack(activity.Text) ? previousOrganisation : null);
        if (asked is not null && _knowledge.OrganisationsById.TryGetValue(asked, out var organisation))
        {
            await AnswerWithOrganisationAsync(turnContext, organisation, understood, data, language, cancellationToken);
            return;
        }

        var facet = understood.Facet;
        var factsChanged = FactReader.Update(data.Facts, understood, activity.Text);
        if (ContextReading.Read(understood, facet, factsChanged, activity.Text, data, _knowledge) is { } topical)
        {
            var answer = _replies.Topical(topical, data.Facts, language);
            data.LastQuestion = activity.Text.Trim();
            data.LastTopic = topical.Topic.Id;
            data.LastFacet = topical.Facet?.Id();
            data.LastConfidence = understood.Topic == topical.Topic.Id ? understood.Confidence : data.LastConfidence;
            // The topic and facet the message itself names are the classifier's; the context chose them otherwise.
            var fromMessage = understood.Action == MessageAction.Answer && understood.Topic == topical.Topic.Id && topical.Facet == understood.Facet;
            Audit(turnContext, "answer", fromMessage ? AnswerDecisions.Classifier : AnswerDecisions.Context, language, topical.Topic.Id, data.LastFacet, understood: understood);
            Replies.AskWhetherItHelped(answer, language);
            data.AwaitingFeedback = true;
            await turnContext.SendActivityAsync(answer, cancellationToken);
            return;
        }

        var reply = _replies.To(understood, activity.Text, language);
        Audit(turnContext, UnderstandingMetrics.Tag(understood.Action), AnswerDecisions.Classifier, language, understood.Topic, understood.Facet?.Id(), understood.Organisation, understood);
        if (understood.Action is MessageAction.OutOfScope or MessageAction.Clarify)
        {
            _records.RecordUnanswered(new UnansweredQuestionEntry(activity.ChannelId, activity.Conversation.Id,
                UnderstandingMetrics.Tag(understood.Action), understood.Topic, language.ToIsoCode(), activity.Text.Trim()));
        }

        if (understood.Action is MessageAction.Answer or MessageAction.Clarify)
        {
            data.LastFacet = null;
            data.LastQuestion = activity.Text.Trim();
            data.LastTopic = understood.Topic;
            data.LastConfidence = understood.Confidence;
            Replies.AskWhetherItHelped(reply, language);
            data.AwaitingFeedback = true;
        }

        await turnContext.SendActivityAsync(reply, cancellationToken);
    }

    /// <summary>
    /// A question about an organisation itself gets its card. The context stays the current topic when the organisation
    /// serves it ("kan EKN hjälpa oss med det?"), else it becomes the topic the organisation mainly serves.
    /// </summary>
    private async Task AnswerWithOrganisationAsync(ITurnContext turnContext, Organisation organisation, MessageUnderstandingResult understood, ConversationData data, ConversationLanguage language, CancellationToken cancellationToken)
    {
        var card = Replies.Card(OrganisationCard.Build(organisation, language), language);
        var current = data.LastTopic is { } id ? _knowledge.TopicsById.GetValueOrDefault(id) : null;
        data.LastTopic = current is not null && current.Route.Contains(organisation.Id) ? current.Id : understood.Topic ?? current?.Id;
        data.LastFacet = null;
        data.LastOrganisation = organisation.Id;
        data.LastQuestion = turnContext.Activity.Text?.Trim();
        Audit(turnContext, "answer", AnswerDecisions.Organisation, language, data.LastTopic, organisation: organisation.Id, understood: understood);
        Replies.AskWhetherItHelped(card, language);
        data.AwaitingFeedback = data.LastTopic is not null;
        await turnContext.SendActivityAsync(card, cancellationToken);
    }

    /// <summary>Keeps what was decided on this message for the answer audit (no message text).</summary>
    private void Audit(ITurnContext turn, string action, string decision, ConversationLanguage language, string? topic = null, string? facet = null, string? organisation = null, MessageUnderstandingResult? understood = null)
    {
        var activity = turn.Activity;
        if (activity.Conversation?.Id is not { } conversationId)
        {
            return;
        }

        var candidates = understood?.Candidates;
        _records.Record(new AnswerRecordEntry(activity.ChannelId ?? "", conversationId, action, decision, language.ToIsoCode())
        {
            TopicId = topic,
            Facet = facet,
            OrganisationId = organisation,
            Confidence = understood?.Confidence,
            SecondTopicId = candidates is { Count: > 1 } ? candidates[1].Topic : null,
            SecondScore = candidates is { Count: > 1 } ? candidates[1].Score : null,
        });
    }

    /// <summary>
    /// Whether the company's message may belong to a live ticket of this conversation (<see cref="ConversationData.MayHaveTicket"/>),
    /// read from the conversation's state, which the turn then keeps for the conversation.
    /// </summary>
    public async Task<bool> MayHaveTicketAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        ConversationData.MayHaveTicket(await _data.GetAsync(turnContext, null, cancellationToken));

    /// <summary>
    /// The conversation's data; a new conversation's records whether it has tickets already (its state was deleted
    /// after a long silence while a ticket of it stayed open, say), so that their messages are still relayed.
    /// </summary>
    private async Task<ConversationData> DataAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        if (await _data.GetAsync(turn, null, cancellationToken) is { } data)
        {
            return data;
        }

        var activity = turn.Activity;
        var tickets = activity.Conversation?.Id is { } conversationId
            ? await _tickets.ForConversationAsync(activity.ChannelId, conversationId, cancellationToken)
            : [];
        return new ConversationData { TracksHandoffs = true, HandoffBegun = tickets.Count > 0 };
    }

    /// <summary>Every message the turn sends carries the language it is written in (WCAG 2.1, 3.1.2).</summary>
    private static void StampLocale(ITurnContext turn, ConversationLanguage language) =>
        turn.OnSendActivities((_, activities, next) =>
        {
            foreach (var activity in activities.Where(a => a.Type == ActivityTypes.Message && string.IsNullOrEmpty(a.Locale)))
            {
                activity.Locale = language.ToLocale();
            }

            return next();
        });

    /// <summary>Clears the conversation's context: the current topic, the facet, the facts and the last question.</summary>
    private static void ForgetContext(ConversationData data)
    {
        data.LastTopic = null;
        data.LastFacet = null;
        data.LastOrganisation = null;
        data.LastQuestion = null;
        data.LastConfidence = 0;
        data.Facts = new ConversationFacts();
        data.AwaitingFeedback = false;
    }
}
