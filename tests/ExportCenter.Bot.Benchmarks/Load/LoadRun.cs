using System.Diagnostics;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>What one point of the benchmark measured: completed turns per second and their latency.</summary>
internal sealed record LoadResult(int Connections, double TurnsPerSecond, double P50Milliseconds, double P99Milliseconds, int Turns, int Errors)
{
    /// <summary>The server's CPU time over the measured window, divided by the turns completed in it (NaN when not measured).</summary>
    public double CpuMillisecondsPerTurn { get; init; } = double.NaN;

    /// <summary>The latency at quantile <paramref name="q"/> of sorted samples (nearest rank: no interpolation, no histogram).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(q * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}

/// <summary>
/// Runs N connections in a closed loop (each sends its next turn when the last one is answered) and counts the turns
/// that complete inside the measured window, after a warm-up; turns still running at its end are awaited, not counted.
/// </summary>
internal static class LoadRun
{
    /// <summary>One turn of connection <c>worker</c>, its <c>n</c>-th: how long it took to be answered, or null when it was not answered as it should be.</summary>
    public delegate Task<TimeSpan?> Turn(int worker, long n);

    /// <param name="connections">How many turns run at once.</param>
    /// <param name="warmUp">How long the connections run before the window opens.</param>
    /// <param name="window">How long the turns are counted.</param>
    /// <param name="turn">One turn.</param>
    /// <param name="processorTime">The server's CPU time so far, read as the window opens and as it closes; null: not measured.</param>
    public static async Task<LoadResult> MeasureAsync(int connections, TimeSpan warmUp, TimeSpan window, Turn turn, Func<TimeSpan>? processorTime = null)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var started = Stopwatch.GetTimestamp();
        var from = started + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var until = from + (long)(window.TotalSeconds * Stopwatch.Frequency);
        var samples = new List<double>[connections];
        var errors = new int[connections];
        var cpu = processorTime is null ? Task.FromResult(TimeSpan.Zero) : Task.Run(async () =>
        {
            await Task.Delay(warmUp);
            var opened = processorTime();
            await Task.Delay(window);
            return processorTime() - opened;
        });
        await Task.WhenAll(Enumerable.Range(0, connections).Select(worker => Task.Run(async () =>
        {
            var mine = new List<double>();
            for (long n = 0; Stopwatch.GetTimestamp() < until; n++)
            {
                TimeSpan? answered;
                try
                {
                    answered = await turn(worker, n);
                }
                catch (Exception ex) when (ex is HttpRequestException or TimeoutException or OperationCanceledException or System.Net.WebSockets.WebSocketException)
                {
                    answered = null;
                }

                var done = Stopwatch.GetTimestamp();
                if (done < from || done > until)
                {
                    continue;
                }

                if (answered is { } latency)
                {
                    mine.Add(latency.TotalMilliseconds);
                }
                else
                {
                    errors[worker]++;
                }
            }

            samples[worker] = mine;
        })));

        var used = await cpu;
        var all = samples.SelectMany(s => s).Order().ToList();
        return new LoadResult(connections, all.Count / window.TotalSeconds, LoadResult.Quantile(all, 0.50), LoadResult.Quantile(all, 0.99), all.Count, errors.Sum())
        {
            CpuMillisecondsPerTurn = processorTime is null || all.Count == 0 ? double.NaN : used.TotalMilliseconds / all.Count,
        };
    }
}
