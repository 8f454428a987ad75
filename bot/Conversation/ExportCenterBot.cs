using ExportCenter.Bot.Advisors;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Conversation;

/// <summary>
/// The bot: the advisors' side (Teams, the local advisors' page, the live relay of a claimed ticket) goes
/// to <see cref="AdvisorTurns"/>; everything else to the company-facing conversation.
/// </summary>
public sealed class ExportCenterBot(ExportCenterConversation conversation, AdvisorTurns advisors) : ActivityHandler
{
    public override async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        if (await advisors.TryHandleAsync(turnContext, cancellationToken))
        {
            return;
        }

        await base.OnTurnAsync(turnContext, cancellationToken);
    }

    protected override async Task OnMembersAddedAsync(IList<ChannelAccount> membersAdded, ITurnContext<IConversationUpdateActivity> turnContext, CancellationToken cancellationToken)
    {
        if (membersAdded.Any(m => m.Id != turnContext.Activity.Recipient?.Id))
        {
            await conversation.WelcomeAsync(turnContext, cancellationToken);
        }
    }

    protected override Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken) =>
        conversation.OnMessageAsync(turnContext, cancellationToken);
}
