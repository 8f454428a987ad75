using System.Globalization;
using System.Text.RegularExpressions;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Language;
using Microsoft.Bot.Builder;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>The answer to "how is my case doing?": each ticket of the conversation with its state, organisation and deadline.</summary>
internal sealed partial class TicketStatusReply(KnowledgeBase knowledge, ITicketService tickets)
{
    /// <summary>Whether a message asks for the status of the company's case.</summary>
    public static bool IsQuestion(string text) => StatusQuestion().IsMatch(text);

    /// <summary>Sends the status of the conversation's tickets, or says there are none.</summary>
    public async Task SendAsync(ITurnContext turn, ConversationLanguage language, CancellationToken cancellationToken)
    {
        var texts = BotTexts.For(language);
        var found = await tickets.ForConversationAsync(turn.Activity.ChannelId, turn.Activity.Conversation.Id, cancellationToken);
        if (found.Count == 0)
        {
            await turn.SendActivityAsync(Replies.Text(texts.StatusNone, language), cancellationToken);
            return;
        }

        var lines = found.Select(t => string.Format(
            CultureInfo.InvariantCulture,
            texts.StatusLine,
            t.Number,
            Describe(t.Status, texts),
            knowledge.OrganisationsById.TryGetValue(t.OrganisationId, out var o) ? o.Name.In(language) : t.OrganisationId,
            DeadlineText.Format(t.DueLocal, language)));
        await turn.SendActivityAsync(Replies.Text(string.Join(Environment.NewLine, lines), language), cancellationToken);
    }

    private static string Describe(TicketState state, BotTexts texts) => state switch
    {
        TicketState.Open => texts.StatusOpen,
        TicketState.Claimed => texts.StatusClaimed,
        TicketState.Resolved => texts.StatusResolved,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown ticket state."),
    };

    [GeneratedRegex(
        @"^\s*(status|ärendestatus|arendestatus)\s*\??\s*$|hur går det med (mitt|vårt) ärende|hur gar det med (mitt|vart) arende|status (på|pa|of) (mitt|vårt|vart|my|our) (ärende|arende|case)|how is my case|what is the status of my case|case status",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex StatusQuestion();
}
