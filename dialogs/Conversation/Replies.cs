using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The bot's replies as message activities in the turn's language: the welcome, the answer of a topic or
/// of a follow-up option, a clarification between topics, the short menu after smalltalk or an
/// out-of-scope message, and plain texts.
/// </summary>
internal sealed class Replies(KnowledgeBase knowledge, MessageUnderstanding understanding)
{
    /// <summary>The welcome card, with a link to the privacy notice.</summary>
    public static IMessageActivity Welcome(ConversationLanguage language) =>
        Card(WelcomeCard.Build(language, privacyNotice: PrivacyNotice(language)), language);

    /// <summary>The short menu card led by a line (cancelled, smalltalk, out of scope), or the full welcome menu without one.</summary>
    public static IMessageActivity Menu(ConversationLanguage language, string? lead = null) =>
        Card(WelcomeCard.Build(language, lead), language);

    /// <summary>The reply to an understood message (a request for a person starts the handoff instead).</summary>
    public IMessageActivity To(MessageUnderstandingResult understood, string text, ConversationLanguage language)
    {
        var texts = BotTexts.For(language);
        var best = understanding.Topic(understood.Topic);
        switch (understood.Action)
        {
            case MessageAction.Smalltalk:
                return ShortReplies.For(ShortReplies.Kind(text), language) ?? Menu(language, texts.SmalltalkReply);
            case MessageAction.OutOfScope:
                // (A question another public service answers was pointed there before this reply.)
                return Menu(language, texts.OutOfScopeReply);
            case MessageAction.Clarify when best is not null:
                var others = understood.Candidates.Skip(1).Select(c => knowledge.TopicsById[c.Topic]).ToList();
                return Card(AnswerCard.Build(best, knowledge, language, texts.ClarifyIntro, others), language);
            case MessageAction.Answer when best is not null:
                return Card(AnswerCard.Build(best, knowledge, language), language);
            default:
                // No words the classifier could read (only punctuation, say): the menu, led by "not sure what you mean".
                return Menu(language, texts.ClarifyIntro);
        }
    }

    /// <summary>
    /// The answer read in context: a facet of the topic, or the topic's answer with the follow-up option that
    /// what the company already said answers (and why).
    /// </summary>
    public IMessageActivity Topical(TopicalAnswer topical, ConversationFacts facts, ConversationLanguage language) =>
        topical.Facet is { } facet
            ? Card(AnswerCard.BuildFacet(topical.Topic, facet, knowledge, language), language)
            : Card(AnswerCard.Build(topical.Topic, knowledge, language, matched: FollowUpMatch.Find(topical.Topic, facts, language)), language);

    /// <summary>The curated answer of a topic, optionally led by a line (why no ticket was made, for instance).</summary>
    public IMessageActivity Answer(Topic topic, ConversationLanguage language, string? lead = null) =>
        Card(AnswerCard.Build(topic, knowledge, language, lead), language);

    /// <summary>The answer of a follow-up option, as text.</summary>
    public static IMessageActivity FollowUpAnswer(FollowUpOption option, ConversationLanguage language) =>
        Text(option.Answer.In(language), language);

    /// <summary>Adds "Did this help?" with yes/no buttons (suggested actions) to an answer.</summary>
    public static void AskWhetherItHelped(IMessageActivity answer, ConversationLanguage language, bool keepText = false)
    {
        var texts = BotTexts.For(language);
        var handoff = HandoffTexts.For(language);
        if (!keepText && answer.Attachments?.FirstOrDefault()?.Content is CardContent card)
        {
            // The question comes after the answer, as the card's last line (a message text would show above the card).
            card.Card().AddText(texts.DidThisHelp, TextStyle.Question);
            answer.Text = null;
        }
        else
        {
            answer.Text = keepText ? answer.Text + " " + texts.DidThisHelp : texts.DidThisHelp;
        }

        answer.SuggestedActions = new SuggestedActions
        {
            Actions =
            [
                new CardAction { Type = ActionTypes.ImBack, Title = handoff.Yes, Value = handoff.Yes },
                new CardAction { Type = ActionTypes.ImBack, Title = handoff.No, Value = handoff.No },
            ],
        };
    }

    /// <summary>A plain-text message.</summary>
    public static Activity Text(string text, ConversationLanguage language)
    {
        var reply = MessageFactory.Text(text);
        reply.TextFormat = TextFormatTypes.Plain;
        reply.Locale = language.ToLocale();
        return reply;
    }

    public static IMessageActivity Card(AdaptiveCard card, ConversationLanguage language)
    {
        var reply = MessageFactory.Attachment(new Attachment
        {
            ContentType = AdaptiveCard.ContentType,
            Content = card.ToContent(),
        });
        reply.Locale = language.ToLocale();
        return reply;
    }

    /// <summary>The privacy notice on the chat page's host (the welcome card links to it).</summary>
    private static Uri PrivacyNotice(ConversationLanguage language) =>
        new($"/privacy.html?lang={language.ToIsoCode()}", UriKind.Relative);
}
