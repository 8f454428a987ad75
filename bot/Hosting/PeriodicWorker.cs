namespace ExportCenter.Bot.Hosting;

/// <summary>
/// A background service that runs one round of work, then waits an interval on the injected clock, until
/// the host stops. A failed round is logged and the next round runs as planned: the work it left is
/// still in the database.
/// </summary>
public abstract partial class PeriodicWorker(TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>Whether the worker runs at all.</summary>
    protected abstract bool Enabled { get; }

    /// <summary>The wait between rounds.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One round of work.</summary>
    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first round runs on the thread pool, not inside the host's start: SQLite's calls complete synchronously,
        // so without this the host would listen only after every worker's first round.
        await Task.Yield();
        while (Enabled && !stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRoundFailed(logger, ex, GetType().Name);
            }

            try
            {
                await WaitAsync(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Waits for the next round; a worker may wake earlier when told there is work.</summary>
    protected virtual Task WaitAsync(TimeSpan interval, CancellationToken cancellationToken) => Task.Delay(interval, time, cancellationToken);

    /// <summary>The injected clock.</summary>
    protected TimeProvider Time => time;

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "A round of {Worker} failed; the next round runs as planned.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception, string worker);
}
