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

    /// <summary>
    /// Puts the (possibly changed) stack back into the turn's state, to be saved with it. Needed because the
    /// SDK hands out a fresh copy of a stored value that the store did not read as a <see cref="DialogStackState"/>;
    /// changes to such a copy are kept only when set back.
    /// </summary>
    public Task RememberAsync(DialogContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _stack.SetAsync(context.Turn, context.Stack, cancellationToken);
    }

    /// <summary>The dialog context of this turn.</summary>
    public async Task<DialogContext> ContextAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var stack = await _stack.GetAsync(turn, () => new DialogStackState(), cancellationToken);
        return new DialogContext(turn, stack, Dialogs);
    }
}
