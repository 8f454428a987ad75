using ExportCenter.Bot.Advisors;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Conversation;

/// <summary>
/// The bot: the advisors' side (Teams, the local advisors' page, the live relay of a claimed ticket) goes
/// to <see cref="AdvisorTurns"/>; everything else to the company-facing conversation.
/// </summary>
public sealed class ExportCenterBot(
    ExportCenterConversation conversation,
    AdvisorTurns advisors,
    ExportCenter.Knowledge.Entities.StandardEntityRecognizers recognizers,
    Telemetry.BotMetrics metrics) : ActivityHandler
{
    private static readonly InvokeResponse NotOffered = new()
    {
        Status = StatusCodes.Status400BadRequest,
        // A JObject: the SDK writes invoke bodies with a resolver that leaves out an anonymous type's properties.
        Body = new JObject { ["code"] = "BadRequest", ["message"] = "This bot does not handle this invoke." },
    };

    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        // The bot is in use: the entity recognisers (half a second to build) are made ready in the background, most
        // often while the company is still reading the welcome.
        recognizers.Prepare();
        if (await advisors.TryHandleAsync(turnContext, cancellationToken))
        {
            metrics.Turn(turnContext.Activity.ChannelId, "advisor");
            return;
        }

        await base.OnTurnAsync(turnContext, cancellationToken);
        metrics.Turn(turnContext.Activity.ChannelId, TurnOutcome.Action(turnContext) ?? "none");
    }

    protected override async Task OnMembersAddedAsync(IList<ChannelAccount> membersAdded, ITurnContext<IConversationUpdateActivity> turnContext, CancellationToken cancellationToken)
    {
        if (membersAdded.Any(m => m.Id != turnContext.Activity.Recipient?.Id))
        {
            await conversation.WelcomeAsync(turnContext, cancellationToken);
        }
    }

    /// <summary>
    /// Invokes the SDK answers (health checks) pass; any other invoke the advisors' side did not take is one this
    /// bot does not offer, answered 400 rather than the SDK's 501: a channel such as Azure Direct Line passes a
    /// client's invoke on, and its 5xx would reach that client as a failure of the bot.
    /// </summary>
    protected override async Task<InvokeResponse> OnInvokeActivityAsync(ITurnContext<IInvokeActivity> turnContext, CancellationToken cancellationToken)
    {
        var response = await base.OnInvokeActivityAsync(turnContext, cancellationToken);
        return response.Status == StatusCodes.Status501NotImplemented ? NotOffered : response;
    }

    protected override Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken) =>
        conversation.OnMessageAsync(turnContext, cancellationToken);
}
