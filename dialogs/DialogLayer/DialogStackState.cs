using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.DialogLayer;

/// <summary>
/// The dialogs running in a conversation, innermost last, as kept in conversation state between turns.
/// Each entry holds its dialog's own typed state (serialised), the step it is on and how often the
/// current prompt has been retried.
/// </summary>
public sealed class DialogStackState
{
    /// <summary>The running dialogs, outermost first.</summary>
    public List<DialogFrame> Frames { get; init; } = [];

    /// <summary>True when no dialog is running.</summary>
    public bool IsEmpty => Frames.Count == 0;
}

/// <summary>One running dialog.</summary>
public sealed class DialogFrame
{
    /// <summary>The dialog's id in its <see cref="DialogSet"/>.</summary>
    public required string DialogId { get; init; }

    /// <summary>The step the dialog waits in.</summary>
    public int Step { get; set; }

    /// <summary>How many times the current prompt has been answered invalidly.</summary>
    public int Retries { get; set; }

    /// <summary>The dialog's typed state, serialised.</summary>
    public JObject State { get; set; } = [];
}
