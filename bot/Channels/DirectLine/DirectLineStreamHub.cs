using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// The open WebSocket streams of this process, by conversation, and the way to wake them. A signal carries no data
/// except for activities that are never stored (typing): the stream reads new history from the database itself,
/// so a missed or merged signal loses nothing. A stream opened with an advisor's token is also registered
/// under its page session, so ending the session closes the stream at once. What happens elsewhere reaches this hub
/// through <see cref="IDirectLineStreamSignals"/>, which the rest of the channel signals through.
/// </summary>
public sealed class DirectLineStreamHub
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Channel<JsonObject?>>> _streams = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, Subscription>> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Registers a stream, under its advisor's page <paramref name="session"/> if it has one; dispose the result when the socket closes.</summary>
    public Subscription Subscribe(string conversationId, string? session = null)
    {
        var channel = Channel.CreateUnbounded<JsonObject?>(new UnboundedChannelOptions { SingleReader = true });
        var id = Guid.NewGuid();
        var subscription = new Subscription(this, conversationId, session, id, channel);
        lock (_gate)
        {
            _streams.GetOrAdd(conversationId, _ => new ConcurrentDictionary<Guid, Channel<JsonObject?>>())[id] = channel;
            if (session is not null)
            {
                _sessions.GetOrAdd(session, _ => new ConcurrentDictionary<Guid, Subscription>())[id] = subscription;
            }
        }

        return subscription;
    }

    /// <summary>Closes the streams of an advisors' page session that has ended (sign-out, new password, deactivation).</summary>
    public void EndSession(string session)
    {
        lock (_gate)
        {
            if (_sessions.TryRemove(session, out var subscriptions))
            {
                foreach (var subscription in subscriptions.Values)
                {
                    subscription.End();
                }
            }
        }
    }

    /// <summary>Tells the conversation's streams that its history changed.</summary>
    public void Notify(string conversationId) => Publish(conversationId, null);

    /// <summary>
    /// Tells every open stream that its history may have changed: signals may have been missed (the connection that
    /// carries them from other instances broke), and each stream reads what came after its watermark.
    /// </summary>
    public void NotifyAll()
    {
        foreach (var streams in _streams.Values)
        {
            foreach (var channel in streams.Values)
            {
                channel.Writer.TryWrite(null);
            }
        }
    }

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

    private void Remove(string conversationId, string? session, Guid id)
    {
        lock (_gate)
        {
            if (session is not null && _sessions.TryGetValue(session, out var ofSession) && ofSession.TryRemove(id, out _) && ofSession.IsEmpty)
            {
                _sessions.TryRemove(session, out _);
            }

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
    public sealed class Subscription(DirectLineStreamHub hub, string conversationId, string? session, Guid id, Channel<JsonObject?> channel) : IDisposable
    {
        private volatile bool _ended;

        /// <summary>Signals (null) and ephemeral activities for this stream; it completes when the stream must close.</summary>
        public ChannelReader<JsonObject?> Reader => channel.Reader;

        /// <summary>The stream's page session ended: it must close, and its client may not reconnect with its token.</summary>
        public bool Ended => _ended;

        internal void End()
        {
            _ended = true;
            channel.Writer.TryComplete();
        }

        public void Dispose() => hub.Remove(conversationId, session, id);
    }
}
