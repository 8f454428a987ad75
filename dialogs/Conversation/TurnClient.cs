using Microsoft.Bot.Builder;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>
/// The opaque key of the client address a turn came from, when the channel knows it (the embedded Direct
/// Line channel does; a turn through Azure Bot Service does not). The channel puts it in the turn state and
/// the handoff hands it to the ticket system, which limits the tickets per key. It is a keyed hash made by
/// the channel, never the address itself.
/// </summary>
public static class TurnClient
{
    private const string Key = "exportcenter.client-key";

    /// <summary>Keeps the key for this turn; a null key (an unknown client) leaves nothing.</summary>
    public static void Set(ITurnContext turn, string? clientKey)
    {
        ArgumentNullException.ThrowIfNull(turn);
        if (!string.IsNullOrEmpty(clientKey))
        {
            turn.TurnState[Key] = clientKey;
        }
    }

    /// <summary>The key of the turn's client address; null when the channel does not know it.</summary>
    public static string? KeyOf(ITurnContext turn)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return turn.TurnState.TryGetValue(Key, out var value) ? value as string : null;
    }
}
