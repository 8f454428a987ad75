using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// Wakes the open WebSocket streams of a conversation in this process. A signal carries no data except
/// for activities that are never stored (typing): the stream reads new history from the database itself,
/// so a missed or merged signal loses nothing.
/// </summary>
public sealed class DirectLineStreamHub
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Channel<JsonObject?>>> _streams = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Registers a stream; dispose the result when the socket closes.</summary>
    public Subscription Subscribe(string conversationId)
    {
        var channel = Channel.CreateUnbounded<JsonObject?>(new UnboundedChannelOptions { SingleReader = true });
        var id = Guid.NewGuid();
        lock (_gate)
        {
            _streams.GetOrAdd(conversationId, _ => new ConcurrentDictionary<Guid, Channel<JsonObject?>>())[id] = channel;
        }

        return new Subscription(this, conversationId, id, channel.Reader);
    }

    /// <summary>Tells the conversation's streams that its history changed.</summary>
    public void Notify(string conversationId) => Publish(conversationId, null);

    /// <summary>Sends an activity that is not stored (typing) to the conversation's open streams.</summary>
    public void Publish(string conversationId, JsonObject? ephemeral)
    {
        if (_streams.TryGetValue(conversationId, out var streams))
        {
            foreach (var channel in streams.Values)
            {
                channel.Writer.TryWrite(ephemeral?.DeepClone().AsObject());
            }
        }
    }

    private void Remove(string conversationId, Guid id)
    {
        lock (_gate)
        {
            if (_streams.TryGetValue(conversationId, out var streams) && streams.TryRemove(id, out var channel))
            {
                channel.Writer.TryComplete();
                if (streams.IsEmpty)
                {
                    _streams.TryRemove(conversationId, out _);
                }
            }
        }
    }

    /// <summary>One open stream's registration.</summary>
    public sealed class Subscription(DirectLineStreamHub hub, string conversationId, Guid id, ChannelReader<JsonObject?> reader) : IDisposable
    {
        /// <summary>Signals (null) and ephemeral activities for this stream.</summary>
        public ChannelReader<JsonObject?> Reader { get; } = reader;

        public void Dispose() => hub.Remove(conversationId, id);
    }
}
