using ExportCenter.Bot.Channels;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Tickets;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// The advisors' side of a turn: Teams activities of the advisors' channel, the local advisors' page's
/// conversation, and, while a ticket is live, the company's messages relayed to the advisor. Everything
/// else is the conversation with the knowledge base.
/// </summary>
public sealed class AdvisorTurns(TeamsAdvisorTurns teams, LocalAdvisorTurns page, AdvisorChannelRegistry registry, TicketDesk desk, ExportCenter.Dialogs.Conversation.ExportCenterConversation conversation)
{
    /// <summary>Handles the turn if it belongs to the advisors' side or to a live ticket; returns false otherwise.</summary>
    public async Task<bool> TryHandleAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (activity.ChannelId == AdvisorChannelRegistry.TeamsChannel)
        {
            var action = CardActions.Read(activity);
            if (TeamsAdvisorTurns.IsAdvisorsBusiness(activity, action))
            {
                await teams.OnTurnAsync(turn, action, cancellationToken);
                return true;
            }
        }

        // Only advisors' tokens make the channel stamp "advisor:" on a message, so a company's message never
        // costs the registry lookup; the advisors' conversation's own start (a conversation update) does.
        if (turn.Adapter is EmbeddedChannelAdapter && activity.ChannelId == DirectLineActivities.ChannelId
            && (activity.Type != ActivityTypes.Message || LocalAdvisorId.IsAdvisor(activity.From?.Id))
            && await registry.GetAsync(cancellationToken) is { ChannelId: DirectLineActivities.ChannelId } local
            && local.ConversationId == activity.Conversation?.Id)
        {
            await page.OnTurnAsync(turn, cancellationToken);
            return true;
        }

        // A conversation that never began a handoff has no ticket: its messages cost no look in the tickets (the state
        // read here is the one its turn reads anyway).
        if (activity.Type == ActivityTypes.Message && !string.IsNullOrWhiteSpace(activity.Text) && activity.Conversation?.Id is { } conversationId
            && await conversation.MayHaveTicketAsync(turn, cancellationToken))
        {
            return await desk.RelayFromCompanyAsync(activity.ChannelId, conversationId, activity.Id ?? Guid.NewGuid().ToString("N"), activity.Text.Trim(), cancellationToken);
        }

        return false;
    }

    /// <summary>A plain-text message (no markdown: ticket texts contain what companies wrote).</summary>
    public static Activity PlainText(string text)
    {
        var activity = MessageFactory.Text(text);
        activity.TextFormat = TextFormatTypes.Plain;
        return activity;
    }
}
