using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Conversation;

/// <summary>The bot: routes activities from any channel to the company-facing conversation.</summary>
public sealed class ExportCenterBot(ExportCenterConversation conversation) : ActivityHandler
{
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
