using Microsoft.Bot.Builder;

namespace ExportCenter.Dialogs.DialogLayer;

/// <summary>A unit of conversation that can run over several turns.</summary>
public interface IDialog
{
    /// <summary>The dialog's id.</summary>
    string Id { get; }

    /// <summary>Starts the dialog (the frame is already on the stack).</summary>
    Task<DialogStatus> BeginAsync(DialogContext context, DialogFrame frame, CancellationToken cancellationToken);

    /// <summary>Handles the user's next message while the dialog waits.</summary>
    Task<DialogStatus> ContinueAsync(DialogContext context, DialogFrame frame, CancellationToken cancellationToken);

    /// <summary>Asks the current question again (after help, or a change of language).</summary>
    Task RepromptAsync(DialogContext context, DialogFrame frame, CancellationToken cancellationToken);
}

/// <summary>What a dialog did with a turn.</summary>
public enum DialogStatus
{
    /// <summary>The dialog waits for the user's next message.</summary>
    Waiting,

    /// <summary>The dialog has finished and left the stack.</summary>
    Complete,
}

/// <summary>The turn seen by a dialog: the Bot Framework turn context and the stack.</summary>
public sealed class DialogContext(ITurnContext turn, DialogStackState stack, DialogSet dialogs)
{
    /// <summary>The turn.</summary>
    public ITurnContext Turn { get; } = turn;

    /// <summary>The running dialogs.</summary>
    public DialogStackState Stack { get; } = stack;

    /// <summary>Starts a dialog on top of the stack, optionally with what is already known (a typed state object).</summary>
    public async Task<DialogStatus> BeginAsync(string dialogId, CancellationToken cancellationToken, object? initialState = null)
    {
        var dialog = dialogs.Find(dialogId);
        var frame = new DialogFrame { DialogId = dialogId };
        if (initialState is not null)
        {
            frame.State = Newtonsoft.Json.Linq.JObject.FromObject(initialState);
        }

        Stack.Frames.Add(frame);
        var status = await dialog.BeginAsync(this, frame, cancellationToken);
        if (status == DialogStatus.Complete)
        {
            Stack.Frames.Remove(frame);
        }

        return status;
    }

    /// <summary>Passes the message to the innermost dialog; false when none is running.</summary>
    public async Task<bool> ContinueAsync(CancellationToken cancellationToken)
    {
        if (Stack.IsEmpty)
        {
            return false;
        }

        var frame = Stack.Frames[^1];
        var status = await dialogs.Find(frame.DialogId).ContinueAsync(this, frame, cancellationToken);
        if (status == DialogStatus.Complete)
        {
            Stack.Frames.Remove(frame);
        }

        return true;
    }

    /// <summary>Asks the innermost dialog's current question again; false when none is running.</summary>
    public async Task<bool> RepeatAsync(CancellationToken cancellationToken)
    {
        if (Stack.IsEmpty)
        {
            return false;
        }

        var frame = Stack.Frames[^1];
        await dialogs.Find(frame.DialogId).RepromptAsync(this, frame, cancellationToken);
        return true;
    }

    /// <summary>Ends every running dialog (cancel, start over).</summary>
    public void CancelAll() => Stack.Frames.Clear();
}

/// <summary>The dialogs a conversation knows, by id.</summary>
public sealed class DialogSet
{
    private readonly Dictionary<string, IDialog> _dialogs = new(StringComparer.Ordinal);

    /// <summary>Adds a dialog.</summary>
    public DialogSet Add(IDialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        _dialogs.Add(dialog.Id, dialog);
        return this;
    }

    /// <summary>The dialog with the id.</summary>
    public IDialog Find(string id) =>
        _dialogs.TryGetValue(id, out var dialog) ? dialog : throw new InvalidOperationException($"No dialog '{id}' is registered.");
}
