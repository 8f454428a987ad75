using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// One client's WebSocket stream: first what is stored after the client's watermark, then every new or
/// updated activity as an ActivitySet frame, and an empty frame at each keep-alive interval. Frames the
/// client sends (its empty pings) are read and ignored. A signal (<see cref="DirectLineStreamHub"/>) makes it read
/// the database after its watermark; so does each keep-alive, so a signal lost between instances delays an activity
/// by one keep-alive interval at most. A stream opened with an advisor's token closes (1008, policy violation) when
/// its page session ends: at once when the end is signalled, otherwise at the next keep-alive, where the session is
/// checked again.
/// </summary>
public sealed class DirectLineSocketSession(
    WebSocket socket,
    string conversationId,
    long watermark,
    DirectLineCaller caller,
    IDirectLineActorCheck? actors,
    DirectLineConversationStore store,
    DirectLineStreamHub hub,
    DirectLineOptions options,
    TimeProvider time)
{
    /// <summary>How long a stream the server closes waits for the client's answering close frame.</summary>
    private static readonly TimeSpan CloseHandshakeWait = TimeSpan.FromSeconds(5);

    private long _watermark = watermark;
    private bool _sessionEnded;
    private DateTimeOffset _sessionCheckedAt = time.GetUtcNow();

    public async Task RunAsync(CancellationToken requestAborted)
    {
        using var subscription = hub.Subscribe(conversationId, caller.Actor is null ? null : caller.Session);
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        var receiving = ReceiveUntilClosedAsync(closed);
        try
        {
            await SendStoredAsync(closed.Token);
            while (!closed.IsCancellationRequested)
            {
                using var timer = new CancellationTokenSource(options.KeepAliveInterval, time);
                using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(closed.Token, timer.Token);
                bool signalled;
                try
                {
                    signalled = await subscription.Reader.WaitToReadAsync(keepAlive.Token);
                }
                catch (OperationCanceledException) when (!closed.IsCancellationRequested)
                {
                    if (!await SessionLivesAsync(closed.Token))
                    {
                        break;
                    }

                    await SendStoredAsync(closed.Token);
                    await SendAsync(string.Empty, closed.Token);
                    continue;
                }

                if (!signalled)
                {
                    _sessionEnded = subscription.Ended;
                    break;
                }

                var historyChanged = false;
                while (subscription.Reader.TryRead(out var ephemeral))
                {
                    if (ephemeral is null)
                    {
                        historyChanged = true;
                    }
                    else
                    {
                        await SendAsync(DirectLineActivities.ActivitySet([ephemeral.ToJsonString()], _watermark), closed.Token);
                    }
                }

                if (historyChanged)
                {
                    await SendStoredAsync(closed.Token);
                }

                if (!await SessionLivesAsync(closed.Token))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client went away; nothing is lost, it reconnects from its watermark.
        }
        finally
        {
            if (_sessionEnded && socket.State == WebSocketState.Open)
            {
                // The server ends this stream: say why in a close frame and give the client a moment to answer it
                // (cancelling the pending receive first would abort the socket without one).
                await CloseQuietlyAsync(WebSocketCloseStatus.PolicyViolation, "The sign-in has ended.");
                await Task.WhenAny(receiving, Task.Delay(CloseHandshakeWait, requestAborted));
            }

            await closed.CancelAsync();
            await receiving;
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await CloseQuietlyAsync(WebSocketCloseStatus.NormalClosure, null);
            }
        }
    }

    private async Task CloseQuietlyAsync(WebSocketCloseStatus status, string? reason)
    {
        try
        {
            await socket.CloseOutputAsync(status, reason, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // The client went away meanwhile.
        }
    }

    /// <summary>
    /// For an advisor's stream, whether its page session still lives, asked again once a keep-alive interval has
    /// passed since the last check (so an end made elsewhere shows up within one interval, however busy the stream).
    /// </summary>
    private async Task<bool> SessionLivesAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (caller.Actor is null || now - _sessionCheckedAt < options.KeepAliveInterval)
        {
            return true;
        }

        _sessionCheckedAt = now;
        _sessionEnded = actors is null || await actors.SessionEndsAsync(caller.Actor, caller.Session, ct) is null;
        return !_sessionEnded;
    }

    private async Task SendStoredAsync(CancellationToken ct)
    {
        while (true)
        {
            var page = await store.GetAfterAsync(conversationId, _watermark, options.MaxActivitiesPerGet, ct);
            if (page.Count == 0)
            {
                return;
            }

            _watermark = page[^1].Sequence;
            await SendAsync(DirectLineActivities.ActivitySet(page.Select(a => a.Json), _watermark), ct);
        }
    }

    private Task SendAsync(string frame, CancellationToken ct) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, endOfMessage: true, ct);

    private async Task ReceiveUntilClosedAsync(CancellationTokenSource closed)
    {
        var buffer = new byte[4096];
        try
        {
            while (!closed.IsCancellationRequested)
            {
                var result = await socket.ReceiveAsync(buffer, closed.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed or aborted: the send loop ends below.
        }
        finally
        {
            await closed.CancelAsync();
        }
    }
}
