using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Npgsql;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// Stream signals across every instance on one PostgreSQL database, with <c>LISTEN</c>/<c>NOTIFY</c>. Each signal
/// wakes this process's streams at once and goes to the others as a notification on one channel (a JSON payload:
/// this instance's id, the conversation or page session, and a typing activity when it fits the 8000-byte limit),
/// sent on the normal connection pool. One dedicated connection per instance listens; when it breaks (a database
/// restart, a dropped network) it is opened again with backoff, and then every stream here re-reads its history,
/// since whatever was signalled meanwhile never came. A signal lost in sending is caught up by the stream's next
/// signal or, at the latest, its next keep-alive, when it reads the database too.
/// </summary>
public sealed partial class PostgresStreamSignals : BackgroundService, IDirectLineStreamSignals
{
    /// <summary>The notification channel every instance listens on.</summary>
    public const string Channel = "exportcenter_directline";

    /// <summary>The listening connection's application name, as <c>pg_stat_activity</c> shows it.</summary>
    public const string ApplicationName = "exportcenter-directline";

    /// <summary>PostgreSQL refuses payloads of 8000 bytes or more.</summary>
    internal const int MaxPayloadBytes = 7999;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(10);

    private readonly string _connectionString;
    private readonly string _listenerConnectionString;
    private readonly DirectLineStreamHub _hub;
    private readonly ILogger<PostgresStreamSignals> _logger;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly Channel<string> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public PostgresStreamSignals(string connectionString, DirectLineStreamHub hub, ILogger<PostgresStreamSignals> logger)
    {
        _connectionString = connectionString;
        _hub = hub;
        _logger = logger;

        // Its own connection, never pooled or multiplexed (LISTEN belongs to one session), with keep-alives so that a
        // silently dropped network shows up as a broken connection instead of a wait that never ends.
        var listener = new NpgsqlConnectionStringBuilder(connectionString)
        {
            ApplicationName = ApplicationName,
            Pooling = false,
            Multiplexing = false,
        };
        if (listener.KeepAlive == 0)
        {
            listener.KeepAlive = 15;
        }

        _listenerConnectionString = listener.ConnectionString;
    }

    /// <summary>For tests: awaited before each new listening connection after a broken one, so a test can hold it back.</summary>
    internal Func<CancellationToken, Task>? BeforeReconnect { get; set; }

    public void Notify(string conversationId)
    {
        _hub.Notify(conversationId);
        Send(new JsonObject { ["c"] = conversationId });
    }

    public void Publish(string conversationId, JsonObject activity)
    {
        _hub.Publish(conversationId, activity);
        Send(new JsonObject { ["c"] = conversationId, ["e"] = activity.DeepClone() });
    }

    public void EndSession(string session)
    {
        _hub.EndSession(session);
        Send(new JsonObject { ["s"] = session });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ListenAsync(stoppingToken), SendAllAsync(stoppingToken));

    private void Send(JsonObject signal)
    {
        signal["i"] = _instance;
        var payload = signal.ToJsonString();
        var bytes = Encoding.UTF8.GetByteCount(payload);
        if (bytes > MaxPayloadBytes)
        {
            // Only an activity that is never stored can make a signal this large, and only typing is sent so.
            LogTooLarge(_logger, bytes);
            return;
        }

        _outgoing.Writer.TryWrite(payload);
    }

    /// <summary>Sends what is queued, as many notifications as have gathered in one round trip.</summary>
    private async Task SendAllAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>();
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 100 && _outgoing.Reader.TryRead(out var payload))
                {
                    batch.Add(payload);
                }

                try
                {
                    await using var connection = new NpgsqlConnection(_connectionString);
                    await connection.OpenAsync(stoppingToken);
                    await using var notify = new NpgsqlBatch(connection);
                    foreach (var payload in batch)
                    {
                        notify.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)") { Parameters = { new() { Value = Channel }, new() { Value = payload } } });
                    }

                    await notify.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever failed (the database, the network), the signals are dropped, not the sender: a fault here
                    // would stop the host.
                    LogSendFailed(_logger, ex, batch.Count);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the other instances' streams catch up at their next signal or keep-alive.
        }
    }

    /// <summary>Listens on one dedicated connection for as long as the host runs, opening it again whenever it breaks.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (failures > 0 && BeforeReconnect is { } gate)
                {
                    await gate(stoppingToken);
                }

                await using var connection = new NpgsqlConnection(_listenerConnectionString);
                connection.Notification += (_, e) => Receive(e.Channel, e.Payload);
                await connection.OpenAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (failures > 0)
                {
                    LogListeningAgain(_logger, failures);
                }

                (retry, failures) = (FirstRetry, 0);

                // What other instances signalled before this connection listened never came here.
                _hub.NotifyAll();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Anything that breaks the connection (the server ended the session, the network, a refused reconnect)
                // means the same here: wait, and listen on a new one.
                failures++;
                LogListenerBroken(_logger, ex, failures, retry);
            }

            try
            {
                // Wall-clock backoff: a test's or a simulation's clock must not hold the reconnection.
                await Task.Delay(retry, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LongestRetry.Ticks));
        }
    }

    /// <summary>A notification from any instance (ours included, which is skipped: its streams were woken directly).</summary>
    private void Receive(string channel, string payload)
    {
        if (channel != Channel)
        {
            return;
        }

        JsonObject? signal;
        try
        {
            signal = JsonNode.Parse(payload) as JsonObject;
        }
        catch (JsonException)
        {
            signal = null;
        }

        if (signal is null || signal["i"] is not JsonValue instance || instance.GetValueKind() != JsonValueKind.String)
        {
            LogUnreadable(_logger);
            return;
        }

        if (instance.GetValue<string>() == _instance)
        {
            return;
        }

        if (signal["s"] is JsonValue session && session.GetValueKind() == JsonValueKind.String)
        {
            _hub.EndSession(session.GetValue<string>());
        }
        else if (signal["c"] is JsonValue conversation && conversation.GetValueKind() == JsonValueKind.String)
        {
            _hub.Publish(conversation.GetValue<string>(), signal["e"] as JsonObject);
        }
        else
        {
            LogUnreadable(_logger);
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "The database connection that listens for stream signals broke (failure {Failures}); listening again in {Retry}.")]
    private static partial void LogListenerBroken(ILogger logger, Exception exception, int failures, TimeSpan retry);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Listening for stream signals again after {Failures} failures; every open stream re-reads its history.")]
    private static partial void LogListeningAgain(ILogger logger, int failures);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Warning, Message = "Could not send {Count} stream signals to the other instances; their streams catch up at the next signal or keep-alive.")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "A signal of {Bytes} bytes is over PostgreSQL's notification limit; only this instance's streams get it.")]
    private static partial void LogTooLarge(ILogger logger, int bytes);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Ignored a notification on the stream signal channel that is not one of the bot's.")]
    private static partial void LogUnreadable(ILogger logger);
}
