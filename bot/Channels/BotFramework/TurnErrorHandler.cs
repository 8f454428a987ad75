using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.Language;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// The one place a failed turn ends: it logs the failure (never the message text, which may hold personal
/// data), tells the user plainly in their language, and clears the conversation state so that a broken
/// state cannot fail every following turn too. A cancelled turn (its timeout, the shutdown) keeps the state.
/// </summary>
public sealed partial class TurnErrorHandler(ConversationState conversationState, ILogger<TurnErrorHandler> logger)
{
    // The activity's type is the sender's text: only the schema's own types are named in the log.
    private static readonly HashSet<string> KnownTypes = new(StringComparer.Ordinal)
    {
        ActivityTypes.Message, ActivityTypes.ConversationUpdate, ActivityTypes.Typing, ActivityTypes.EndOfConversation,
        ActivityTypes.Event, ActivityTypes.Invoke, ActivityTypes.InstallationUpdate, ActivityTypes.MessageReaction,
        ActivityTypes.MessageUpdate, ActivityTypes.MessageDelete, ActivityTypes.DeleteUserData, ActivityTypes.ContactRelationUpdate,
        ActivityTypes.Suggestion, ActivityTypes.Trace, ActivityTypes.Handoff, ActivityTypes.Command, ActivityTypes.CommandResult,
    };

    public async Task HandleAsync(ITurnContext turnContext, Exception exception)
    {
        var activity = turnContext.Activity;
        if (exception is OperationCanceledException)
        {
            // A turn stopped by its own timeout or by the host shutting down: the state is what the company has
            // built up (half a handoff, say) and stays; the next turn goes on from it.
            LogTurnCancelled(logger, activity.ChannelId, KnownTypes.Contains(activity.Type ?? "") ? activity.Type! : "other");
            return;
        }

        LogTurnFailed(logger, exception, activity.ChannelId, KnownTypes.Contains(activity.Type ?? "") ? activity.Type! : "other");

        try
        {
            var texts = BotTexts.For(ConversationLanguages.FromLocale(activity.Locale));
            var message = MessageFactory.Text(texts.TurnError);
            message.TextFormat = TextFormatTypes.Plain;
            await turnContext.SendActivityAsync(message);
        }
        catch (Exception sendFailure)
        {
            LogApologyFailed(logger, sendFailure, activity.ChannelId);
        }

        try
        {
            await conversationState.DeleteAsync(turnContext);
        }
        catch (Exception deleteFailure)
        {
            LogStateNotCleared(logger, deleteFailure, activity.ChannelId);
        }
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "A bot turn failed on channel {ChannelId} (activity type {ActivityType}); the conversation state is cleared.")]
    private static partial void LogTurnFailed(ILogger logger, Exception exception, string channelId, string activityType);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "A bot turn on channel {ChannelId} (activity type {ActivityType}) was stopped by its timeout or the shutdown; the conversation state is kept.")]
    private static partial void LogTurnCancelled(ILogger logger, string channelId, string activityType);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Could not tell the user on channel {ChannelId} that the turn failed.")]
    private static partial void LogApologyFailed(ILogger logger, Exception exception, string channelId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Could not clear the conversation state after a failed turn on channel {ChannelId}.")]
    private static partial void LogStateNotCleared(ILogger logger, Exception exception, string channelId);
}
