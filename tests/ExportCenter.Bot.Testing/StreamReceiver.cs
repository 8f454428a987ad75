using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// A Direct Line WebSocket stream held open as Web Chat holds it, read in the background: every activity it
/// delivers is kept in order with the moment it arrived (a <see cref="Stopwatch"/> timestamp), so a test or a
/// measurement can wait for one and tell how long it took to come.
/// </summary>
public sealed class StreamReceiver : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Channel<Arrival> _arrivals = Channel.CreateUnbounded<Arrival>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private StreamReceiver(ClientWebSocket socket)
    {
        _socket = socket;
        _reading = ReadAsync();
    }

    /// <summary>One activity as it came off the socket.</summary>
    public sealed record Arrival(JsonObject Activity, long Timestamp);

    /// <summary>Whether the server closed the stream (the reading has ended).</summary>
    public bool Closed => _reading.IsCompleted;

    /// <summary>The close status the server sent, once <see cref="Closed"/>.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    /// <summary>Connects to a stream URL (its token in the query, as the channel issues it).</summary>
    public static async Task<StreamReceiver> ConnectAsync(string streamUrl, TimeSpan timeout)
    {
        var socket = new ClientWebSocket();
        using var deadline = new CancellationTokenSource(timeout);
        await socket.ConnectAsync(new Uri(streamUrl), deadline.Token);
        return new StreamReceiver(socket);
    }

    /// <summary>
    /// The next activity that matches, skipping those before it; throws <see cref="TimeoutException"/> naming what
    /// it waited for when none came within <paramref name="timeout"/>.
    /// </summary>
    public async Task<Arrival> NextAsync(Func<JsonObject, bool> match, TimeSpan timeout, string waitingFor)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (await _arrivals.Reader.WaitToReadAsync(deadline.Token))
            {
                while (_arrivals.Reader.TryRead(out var arrival))
                {
                    if (match(arrival.Activity))
                    {
                        return arrival;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s on the stream for {waitingFor}.");
        }

        throw new InvalidOperationException($"The stream closed ({_socket.CloseStatus}) before {waitingFor} came.");
    }

    /// <summary>Waits until the server closes the stream; returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> ClosedAsync(TimeSpan timeout)
    {
        await _reading.WaitAsync(timeout);
        return _socket.CloseStatus;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                // The server went away first.
            }
        }

        await _stop.CancelAsync();
        await _reading;
        _socket.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new StringBuilder();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Append(Encoding.UTF8.GetString(buffer, 0, result.Count));
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var timestamp = Stopwatch.GetTimestamp();
                var frame = message.ToString();
                message.Clear();

                // Empty frames are the server's keep-alives.
                if (frame.Length > 0 && JsonNode.Parse(frame)?["activities"] is JsonArray activities)
                {
                    foreach (var activity in activities)
                    {
                        _arrivals.Writer.TryWrite(new Arrival(activity!.AsObject().DeepClone().AsObject(), timestamp));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            // Aborted by either side: the stream has ended.
        }
        finally
        {
            _arrivals.Writer.TryComplete();
        }
    }
}
