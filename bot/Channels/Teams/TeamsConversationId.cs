namespace ExportCenter.Bot.Channels.Teams;

/// <summary>
/// A Teams conversation id. A channel is "19:…@thread.tacv2"; a post in it, and the thread under the post,
/// is "19:…@thread.tacv2;messageid=&lt;id of the root message&gt;" (docs/protocol.md §7).
/// </summary>
public readonly record struct TeamsConversationId(string Channel, string? MessageId)
{
    private const string Marker = ";messageid=";

    public static TeamsConversationId Parse(string conversationId)
    {
        ArgumentNullException.ThrowIfNull(conversationId);
        var marker = conversationId.IndexOf(Marker, StringComparison.Ordinal);
        return marker < 0
            ? new TeamsConversationId(conversationId, null)
            : new TeamsConversationId(conversationId[..marker], conversationId[(marker + Marker.Length)..]);
    }

    /// <summary>Whether this is a post (or its thread) in the given channel.</summary>
    public bool IsPostIn(string channel) => MessageId is not null && string.Equals(Channel, channel, StringComparison.Ordinal);

    public override string ToString() => MessageId is null ? Channel : Channel + Marker + MessageId;
}
