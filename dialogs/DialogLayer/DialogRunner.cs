using Microsoft.Bot.Builder;

namespace ExportCenter.Dialogs.DialogLayer;

/// <summary>
/// Runs the dialog stack of a conversation: reads it from conversation state, passes the turn to the
/// innermost dialog, and leaves the stack in state for the next turn (the caller saves the state).
/// </summary>
public sealed class DialogRunner
{
    private readonly IStatePropertyAccessor<DialogStackState> _stack;

    /// <summary>Creates the runner over the conversation state and the known dialogs.</summary>
    public DialogRunner(ConversationState conversationState, DialogSet dialogs)
    {
        ArgumentNullException.ThrowIfNull(conversationState);
        Dialogs = dialogs ?? throw new ArgumentNullException(nameof(dialogs));
        _stack = conversationState.CreateProperty<DialogStackState>(nameof(DialogStackState));
    }

    /// <summary>The dialogs the runner can start.</summary>
    public DialogSet Dialogs { get; }

    /// <summary>The dialog context of this turn.</summary>
    public async Task<DialogContext> ContextAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var stack = await _stack.GetAsync(turn, () => new DialogStackState(), cancellationToken);
        return new DialogContext(turn, stack, Dialogs);
    }
}
