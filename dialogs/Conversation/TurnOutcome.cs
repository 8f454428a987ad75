using Microsoft.Bot.Builder;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// What a company's message turn did, for the bot's metrics, kept in the turn's state: the understanding's action
/// (<c>answer</c>, <c>clarify</c>, <c>handoff</c>, <c>out_of_scope</c>, <c>smalltalk</c>), or <c>handoff</c> for an asked
/// person, <c>command</c> (help, cancel, a language), <c>dialog</c> (an answer inside a running dialog), <c>status</c>
/// (how is my case doing?); <c>none</c> for a turn that reached none of these (a button, an empty message).
/// </summary>
public static class TurnOutcome
{
    private const string ActionKey = "ExportCenter.Dialogs.TurnAction";

    public static void SetAction(ITurnContext turn, string action)
    {
        ArgumentNullException.ThrowIfNull(turn);
        turn.TurnState[ActionKey] = action;
    }

    public static string? Action(ITurnContext turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return turn.TurnState.TryGetValue(ActionKey, out var action) ? action as string : null;
    }
}
