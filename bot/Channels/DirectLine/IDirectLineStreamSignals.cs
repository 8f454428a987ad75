using System.Text.Json.Nodes;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// Wakes a conversation's open WebSocket streams wherever they are held. On SQLite one instance serves, and the
/// signals stay in its process (<see cref="InProcessStreamSignals"/>); on PostgreSQL several instances may hold
/// streams of one conversation, and the signals reach each of them (<see cref="PostgresStreamSignals"/>). A signal
/// carries no history: a woken stream reads what is stored after its watermark, so a lost signal loses nothing.
/// </summary>
public interface IDirectLineStreamSignals
{
    /// <summary>The conversation's history changed (an activity was stored or replaced).</summary>
    void Notify(string conversationId);

    /// <summary>An activity that is never stored (typing), for the conversation's open streams to pass on as it is.</summary>
    void Publish(string conversationId, JsonObject activity);

    /// <summary>An advisors' page session ended: its streams close.</summary>
    void EndSession(string session);
}

/// <summary>The signals of a single instance: straight to this process's streams.</summary>
public sealed class InProcessStreamSignals(DirectLineStreamHub hub) : IDirectLineStreamSignals
{
    public void Notify(string conversationId) => hub.Notify(conversationId);

    public void Publish(string conversationId, JsonObject activity) => hub.Publish(conversationId, activity);

    public void EndSession(string session) => hub.EndSession(session);
}
