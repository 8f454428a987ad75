using ExportCenter.Bot.Channels;
using ExportCenter.Bot.Channels.Teams;
using ExportCenter.Bot.Tickets;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// Advisors at work in the Teams channel: card actions (Action.Execute invokes, or Action.Submit messages)
/// and messages in a ticket's thread that mention the bot. Rights come only from an activity the channel
/// vouches for (<see cref="TeamsGate"/>) by an advisor in the directory. A coordinator's "bekräfta kanalbyte"
/// moves the advisors' channel to a pending installation (<see cref="AdvisorChannelMove"/>).
/// </summary>
public sealed partial class TeamsAdvisorTurns(
    TeamsGate gate,
    TicketDesk desk,
    TicketQueries tickets,
    AdvisorDirectory directory,
    AdvisorDelivery delivery,
    AdvisorAnswers answers,
    AdvisorChannelMove moves,
    KnowledgeBase knowledge,
    IOptions<TeamsOptions> teams,
    ILogger<TeamsAdvisorTurns> logger)
{
    /// <summary>
    /// Teams activities for the advisors' side: installations, card actions, and anything in a team channel.
    /// A personal chat with the bot in Teams is an ordinary conversation with the knowledge base.
    /// </summary>
    public static bool IsAdvisorsBusiness(Activity activity, CardActionRequest? action)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return TeamsGate.IsInstallation(activity)
            || activity.Type == ActivityTypes.Invoke
            || action is not null
            || activity.Conversation?.ConversationType == "channel";
    }

    public async Task OnTurnAsync(ITurnContext turn, CardActionRequest? action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        var caller = await gate.IdentifyAsync(turn, cancellationToken);
        var installation = await gate.TryInstallAsync(turn, caller, cancellationToken);
        if (installation == TeamsInstallation.Pending)
        {
            await moves.AnnouncePendingAsync(caller.ChannelData?.Team?.Name, cancellationToken);
        }

        if (installation != TeamsInstallation.None)
        {
            return;
        }

        var isInvoke = activity.Type == ActivityTypes.Invoke;
        if (isInvoke && action is null)
        {
            await TeamsGate.RespondInvokeAsync(turn, 400, "application/vnd.microsoft.error", new JObject { ["code"] = "BadRequest", ["message"] = "Not a card action of this bot." }, cancellationToken);
            return;
        }

        var isThreadMessage = activity.Type == ActivityTypes.Message && action is null && TeamsGate.MentionsBot(activity);
        if (action is null && !isThreadMessage)
        {
            return; // Conversation updates, reactions, messages not addressed to the bot: nothing to do.
        }

        var aadObjectId = caller.TrustedAadObjectId(activity, teams.Value);
        var advisor = aadObjectId is null ? null : await directory.FindByAadObjectIdAsync(aadObjectId, cancellationToken);
        if (advisor is null)
        {
            var number = action?.Number ?? await tickets.FindByAdvisorConversationAsync(activity.Conversation?.Id ?? string.Empty, cancellationToken);
            await desk.AuditRefusalAsync(number, TicketSource.Teams, null, caller.Authenticated ? "not an advisor of the team" : "unauthenticated", cancellationToken);
            LogRefused(logger, caller.Authenticated, caller.TenantOk);
            if (isInvoke)
            {
                await TeamsGate.RespondInvokeAsync(turn, 403, "application/vnd.microsoft.error", new JObject { ["code"] = "Forbidden", ["message"] = AdvisorTexts.NotAnAdvisorInTeams }, cancellationToken);
            }
            else
            {
                await turn.SendActivityAsync(MessageFactory.Text(AdvisorTexts.NotAnAdvisorInTeams), cancellationToken);
            }

            return;
        }

        var actor = advisor.Acting(TicketSource.Teams);
        if (isThreadMessage)
        {
            var text = activity.RemoveRecipientMention()?.Trim();
            if (AdvisorChannelMove.IsConfirmation(text))
            {
                await moves.ConfirmAsync(turn, advisor, cancellationToken);
                return;
            }

            await OnThreadMessageAsync(turn, actor, text, cancellationToken);
            return;
        }

        var result = await desk.ActAsync(actor, action!, cancellationToken);
        if (isInvoke)
        {
            if (result.Done && result.Ticket is not null)
            {
                // The clicking advisor sees the new card at once; everyone else through the outbox's update.
                var card = delivery.RenderCard(result.Ticket, result.History, AdvisorChannelRegistry.TeamsChannel);
                await TeamsGate.RespondInvokeAsync(turn, 200, "application/vnd.microsoft.card.adaptive", JObject.Parse(card.GetRawText()), cancellationToken);
            }
            else
            {
                await TeamsGate.RespondInvokeAsync(turn, 200, "application/vnd.microsoft.activity.message", AdvisorTexts.Result(result, knowledge), cancellationToken);
            }
        }
        else if (!result.Done)
        {
            await turn.SendActivityAsync(MessageFactory.Text(AdvisorTexts.Result(result, knowledge)), cancellationToken);
        }
    }

    /// <summary>A message in a ticket's thread goes to the company; anywhere else it gets the open tickets.</summary>
    private async Task OnThreadMessageAsync(ITurnContext turn, TicketActor actor, string? text, CancellationToken cancellationToken)
    {
        var number = await tickets.FindByAdvisorConversationAsync(turn.Activity.Conversation?.Id ?? string.Empty, cancellationToken);
        if (number is null)
        {
            // Not in a ticket's thread ("status", "hjälp", anything): the open tickets, and how to answer one.
            await answers.SendOverviewAsync(turn, AdvisorTexts.HowToAnswerInTeams, cancellationToken);
            return;
        }

        await answers.ReplyToCompanyAsync(turn, actor, number, text, cancellationToken);
    }

    [LoggerMessage(EventId = 8531, Level = LogLevel.Warning, Message = "Refused a Teams card action or message (authenticated: {Authenticated}, tenant ok: {TenantOk}).")]
    private static partial void LogRefused(ILogger logger, bool authenticated, bool tenantOk);
}
