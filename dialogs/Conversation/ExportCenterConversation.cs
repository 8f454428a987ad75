using System.Globalization;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.Language;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The company-facing conversation: welcome, and a reply to every message or card button.
/// Placeholder replies until the knowledge base and the dialogs take over.
/// </summary>
public sealed class ExportCenterConversation
{
    private readonly ConversationState _conversationState;
    private readonly IStatePropertyAccessor<ConversationData> _data;

    /// <summary>Creates the conversation over the bot's conversation state.</summary>
    public ExportCenterConversation(ConversationState conversationState)
    {
        ArgumentNullException.ThrowIfNull(conversationState);
        _conversationState = conversationState;
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
        var language = ResolveLanguage(turnContext.Activity, data);
        var texts = BotTexts.For(language);

        string answer;
        if (TryReadMenuChoice(turnContext.Activity.Value, out var choice))
        {
            answer = string.Format(CultureInfo.InvariantCulture, texts.MenuChosen, choice.Title(texts));
        }
        else if (!string.IsNullOrWhiteSpace(turnContext.Activity.Text))
        {
            answer = string.Format(CultureInfo.InvariantCulture, texts.ReplyReceived, turnContext.Activity.Text.Trim());
        }
        else
        {
            answer = texts.ReplyNoText;
        }

        var reply = MessageFactory.Text(answer);
        reply.TextFormat = TextFormatTypes.Plain;
        reply.Locale = language.ToLocale();
        await turnContext.SendActivityAsync(reply, cancellationToken);
        await _conversationState.SaveChangesAsync(turnContext, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The language to answer in: the locale on this activity when it has one (Web Chat sends the page's
    /// language), otherwise the one remembered for the conversation, otherwise Swedish.
    /// </summary>
    private static ConversationLanguage ResolveLanguage(Activity activity, ConversationData data)
    {
        var remembered = ConversationLanguages.FromLocale(data.Language);
        var language = ConversationLanguages.FromLocale(activity.Locale, remembered);
        data.Language = language.ToIsoCode();
        return language;
    }

    private static bool TryReadMenuChoice(object? value, out MenuChoice choice)
    {
        choice = default;
        var data = value as JObject ?? (value is null ? null : JObject.FromObject(value));
        return data is not null
            && string.Equals(data.Value<string>(MenuChoices.ActionKey), MenuChoices.MenuAction, StringComparison.Ordinal)
            && MenuChoices.TryParse(data.Value<string>(MenuChoices.ChoiceKey), out choice);
    }

    private static Attachment ToAttachment(AdaptiveCard card) => new()
    {
        ContentType = AdaptiveCard.ContentType,
        Content = JObject.Parse(card.ToJson()),
    };
}
