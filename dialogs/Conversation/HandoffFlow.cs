using System.Globalization;
using System.Text.RegularExpressions;
using ExportCenter.Dialogs.DialogLayer;
using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Logging;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The handoff to an advisor: starts the handoff dialog with what the conversation already knows, and when
/// its questions are answered writes the ticket and tells the company its number and deadline (or, without
/// consent, when a limit on new tickets was reached, or when the ticket could not be written, gives the
/// organisations' own contacts instead).
/// </summary>
internal sealed partial class HandoffFlow
{
    private const string RecentKey = "exportcenter.recent";
    private const int RecentLimit = 12;
    private const int RecentMessageLength = 500;
    private readonly KnowledgeBase _knowledge;
    private readonly MessageUnderstanding _understanding;
    private readonly ITicketService _tickets;
    private readonly Replies _replies;
    private readonly ILogger _logger;

    /// <summary>Creates the flow; <paramref name="logger"/> is the conversation's.</summary>
    public HandoffFlow(KnowledgeBase knowledge, MessageUnderstanding understanding, ITicketService tickets, Replies replies, ILogger logger)
    {
        _knowledge = knowledge;
        _understanding = understanding;
        _tickets = tickets;
        _replies = replies;
        _logger = logger;
        Dialog = new PromptDialog<HandoffState>(HandoffDialog.Id, TurnLanguage.Of, HandoffDialog.Steps, CompleteAsync, GiveUpAsync);
    }

    /// <summary>The handoff dialog, to be registered with the conversation's dialogs.</summary>
    public IDialog Dialog { get; }

    /// <summary>
    /// Keeps the company's last messages in the conversation (the advisor reads them as an excerpt) and
    /// puts them in the turn state: the dialog's callback sees only the turn, and a stored value read again
    /// would not have this turn's message yet.
    /// </summary>
    public static void RememberMessage(ITurnContext turn, ConversationData data)
    {
        var text = turn.Activity.Text;
        if (!string.IsNullOrWhiteSpace(text))
        {
            data.RecentMessages.Add(text.Trim().Length > RecentMessageLength ? text.Trim()[..RecentMessageLength] : text.Trim());
            if (data.RecentMessages.Count > RecentLimit)
            {
                data.RecentMessages.RemoveRange(0, data.RecentMessages.Count - RecentLimit);
            }
        }

        turn.TurnState[RecentKey] = data.RecentMessages;
    }

    /// <summary>
    /// Starts a handoff under a key of its own (<see cref="HandoffState.HandoffKey"/>), prefilled with the last question
    /// and any contact or municipality the company wrote.
    /// </summary>
    public static async Task BeginAsync(DialogContext dialog, ConversationData data, string? topicId, float confidence, CancellationToken cancellationToken, IReadOnlyList<Entity>? entities = null)
    {
        entities ??= [];
        data.HandoffBegun = true;
        // What the company said earlier in the conversation is offered back, not asked for again: its name, how to
        // reach it, its municipality and the language it writes in. An organisation number it wrote is taken as given.
        var earlier = data.RecentMessages.AsEnumerable().Reverse().ToList();
        var organisationNumber = earlier.Select(m => Answers.OrganisationNumber(m, out var n) ? n : null).FirstOrDefault(n => n is not null);
        var initial = new HandoffState
        {
            // The consent question is always asked first, so this turn ends waiting and saves the key with the
            // dialog state; the ticket is written in a later turn, and a repeat of that turn carries the same key.
            HandoffKey = Guid.NewGuid().ToString("N"),
            TopicId = topicId,
            Confidence = confidence,
            Summary = data.LastQuestion,
            SuggestedContact = entities.FirstOrDefault(e => e.Kind == EntityKind.Email)?.Value ?? entities.FirstOrDefault(e => e.Kind == EntityKind.Phone)?.Text.Trim()
                ?? earlier.Select(EarlierContact).FirstOrDefault(c => c is not null),
            SuggestedMunicipality = entities.FirstOrDefault(e => e.Kind == EntityKind.Municipality)?.Value ?? data.Facts.Municipality,
            SuggestedCompany = earlier.Select(CompanyName).FirstOrDefault(c => c is not null),
            SuggestedLanguage = data.Writer is "sv" or "en" ? data.Writer : null,
            OrganisationNumber = organisationNumber,
            OrganisationNumberAnswered = organisationNumber is not null,
        };
        await dialog.BeginAsync(HandoffDialog.Id, cancellationToken, initial);
    }

    /// <summary>An email address or phone number in an earlier message (a ten-digit organisation number is not a phone number).</summary>
    private static string? EarlierContact(string message)
    {
        if (Answers.Email(message, out var email))
        {
            return email;
        }

        var withoutNumber = Answers.OrganisationNumber(message, out var number) ? message.Replace(number, " ", StringComparison.Ordinal) : message;
        return Answers.Phone(withoutNumber, out var phone) ? phone : null;
    }

    /// <summary>A company's registered name as companies write it: capitalised words before "AB" (or HB, KB, AS, Oy, GmbH, Ltd).</summary>
    internal static string? CompanyName(string message)
    {
        var match = CompanyPattern().Match(message);
        return match.Success ? match.Value.Trim() : null;
    }

    [GeneratedRegex(@"\b(?:\p{Lu}[\p{L}\d&\-]*\s+){1,4}(?:AB|HB|KB|AS|ASA|ApS|Oy|GmbH|Ltd)\b", RegexOptions.CultureInvariant)]
    private static partial Regex CompanyPattern();

    /// <summary>Set in the turn state when the turn made a ticket: the conversation's context is then cleared.</summary>
    public const string FinishedKey = "exportcenter.handoff-finished";

    /// <summary>A message that only asks for a person (then the earlier question is the better summary).</summary>
    public static bool AsksOnlyForAPerson(string text) => TextNormalizer.Tokens(text).Length <= 8;

    private async Task CompleteAsync(ITurnContext turn, HandoffState state, CancellationToken cancellationToken)
    {
        var language = TurnLanguage.Of(turn);
        var texts = HandoffTexts.For(language);
        var topic = TopicOf(state);
        if (state.Consent != true)
        {
            await turn.SendActivityAsync(_replies.Answer(topic, language, texts.NoConsent), cancellationToken);
            return;
        }

        var request = Request(turn, state);
        TicketResult result;
        try
        {
            result = await _tickets.CreateAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Nothing is promised unless the ticket is written: the company is told plainly instead.
            LogTicketNotSaved(_logger, ex);
            await turn.SendActivityAsync(_replies.Answer(topic, language, texts.NotSaved), cancellationToken);
            return;
        }

        if (result.Receipt is not { } receipt)
        {
            // A limit on new tickets was reached: no ticket, so none is promised; the organisations' contacts instead.
            await turn.SendActivityAsync(_replies.Answer(topic, language, texts.LimitReached), cancellationToken);
            return;
        }

        turn.TurnState[FinishedKey] = true;
        var organisation = _knowledge.OrganisationsById[receipt.OrganisationId].Name.In(language);
        await turn.SendActivityAsync(
            Replies.Text(string.Format(CultureInfo.InvariantCulture, texts.Confirmation, receipt.Number, organisation, DeadlineText.Format(receipt.DueLocal, language)), language),
            cancellationToken);
    }

    private async Task GiveUpAsync(ITurnContext turn, HandoffState state, CancellationToken cancellationToken)
    {
        var language = TurnLanguage.Of(turn);
        await turn.SendActivityAsync(_replies.Answer(TopicOf(state), language, HandoffTexts.For(language).GiveUp), cancellationToken);
    }

    private static HandoffRequest Request(ITurnContext turn, HandoffState state)
    {
        var recent = turn.TurnState.Get<List<string>>(RecentKey)
            ?? throw new InvalidOperationException("The company's recent messages are put in the turn state at the start of a message turn.");
        return new HandoffRequest(
            state,
            TurnLanguage.Of(turn).ToIsoCode(),
            turn.Activity.ChannelId,
            turn.Activity.Conversation.Id,
            turn.Activity.GetConversationReference(),
            string.Join(Environment.NewLine, recent.Select(m => "> " + m)),
            TurnClient.KeyOf(turn),
            state.HandoffKey);
    }

    /// <summary>The topic whose contacts are given when no ticket is made: the handoff's, else whom to contact.</summary>
    private Topic TopicOf(HandoffState state) =>
        _understanding.Topic(state.TopicId) ?? _knowledge.TopicsById[MenuChoice.Advisor.TopicId()];

    [LoggerMessage(EventId = 6001, Level = LogLevel.Error, Message = "A handoff ticket could not be written; the company was told and nothing was promised.")]
    private static partial void LogTicketNotSaved(ILogger logger, Exception exception);
}
