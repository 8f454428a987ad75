using System.Globalization;
using System.Runtime.InteropServices;
using ExportCenter.Bot.Testing;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>
/// <c>load</c>: starts each target from its built output, on loopback, one after the other (never two at once), and
/// prints one table: cold start and idle memory, then turns/s with p50 and p99 at each connection count, for
/// <c>/api/messages</c> (replies to the fake connector) and the embedded Direct Line (post to reply frame on the
/// WebSocket). The anchors run beside the bot in the same run, since figures on a shared machine are only comparable
/// within one run.
/// </summary>
internal static class LoadBenchmark
{
    private const string Usage =
        "usage: dotnet run -c Release --project tests/ExportCenter.Bot.Benchmarks -- load [--seconds 4] [--connections 16,64,256] [--starts 3]\n" +
        "       [--warmup 15] [--paths messages,directline]\n" +
        "       [--only bare,echo,bot-sqlite,bot-postgres,bot-model] [--model-starts on|off] [--bot PATH/ExportCenter.Bot.dll]\n" +
        "       [--postgres CONNECTION-STRING] [--env NAME=VALUE ...]\n" +
        "  --postgres: a role that may create databases (default: $EXPORTCENTER_TEST_POSTGRES); each start gets a new one.\n" +
        "  --model-starts (bot-model in --only): also start the bot on SQLite with no stored model (it trains), then on the model it cached.\n" +
        "  --env sets an environment variable of the bot's processes (e.g. DOTNET_gcServer=0), not of the anchors'.";

    private static readonly TimeSpan LevelWarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(3);

    public static async Task<int> RunAsync(string[] args)
    {
        if (!LoadOptions.TryParse(args, out var options, out var problem))
        {
            await Console.Error.WriteLineAsync(problem + Environment.NewLine + Usage);
            return 2;
        }

        var targets = BenchmarkTarget.All(options.BotDll).Where(t => options.Only.Count == 0 || options.Only.Contains(t.Key)).ToList();
        if (targets.Any(t => t.Provider == "postgres") && options.Postgres is null)
        {
            await Console.Error.WriteLineAsync($"Neither --postgres nor {TestDatabase.PostgresVariable} is set: the PostgreSQL rows are left out.");
            targets.RemoveAll(t => t.Provider == "postgres");
        }

        var loadBefore = LoadAverage();
        await using var connector = await FakeConnector.StartAsync();
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };

        // The probe's first request pays for its own JIT; let it pay before the first clock starts.
        (await probe.GetAsync(new Uri(connector.ServiceUrl, "healthz"))).Dispose();

        var reports = new List<TargetReport>();
        foreach (var target in targets)
        {
            await Console.Error.WriteLineAsync($"{target.Name}: {target.Dll}");
            reports.Add(await MeasureAsync(target, options, connector, probe));
        }

        if (options.ModelStarts && (options.Only.Count == 0 || options.Only.Contains("bot-model")) && BenchmarkTarget.All(options.BotDll).First(t => t.Provider == "sqlite") is var bot)
        {
            await Console.Error.WriteLineAsync($"{bot.Name}, starts without a stored model and on the cached one");
            reports.AddRange(await MeasureModelStartsAsync(bot, options, probe));
        }

        Print(Console.Out, reports, options, loadBefore, LoadAverage());
        return 0;
    }

    private static async Task<TargetReport> MeasureAsync(BenchmarkTarget target, LoadOptions options, FakeConnector connector, HttpClient probe)
    {
        var report = new TargetReport(target);
        var environment = target.IsBot ? options.Environment : new Dictionary<string, string>();
        for (var start = 1; start <= options.Starts; start++)
        {
            using var folder = new RunFolder();
            using var database = target.CreateDatabase(options.Postgres);
            await using var server = await StartAsync(report, target.Dll, target.Arguments(database, folder.Path), folder.Path, environment, probe);
            if (start < options.Starts)
            {
                continue;
            }

            using var handler = new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = int.MaxValue, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
            using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(1) };
            var postsBefore = connector.Posts;
            var answered = 0L;
            MessagesLoad Messages(string run) => new(http, connector.ServiceUrl, run);
            async Task<TimeSpan?> Counted(MessagesLoad load, int worker, long n)
            {
                var latency = await load.TurnAsync(worker, n);
                if (latency is not null)
                {
                    Interlocked.Increment(ref answered);
                }

                return latency;
            }

            var warm = Messages("warm");
            await LoadRun.MeasureAsync(16, TimeSpan.Zero, options.WarmUp, (w, n) => Counted(warm, w, n));
            foreach (var connections in options.Connections)
            {
                var load = Messages(string.Create(CultureInfo.InvariantCulture, $"c{connections}"));
                report.Messages.Add(await LoadRun.MeasureAsync(connections, LevelWarmUp, options.Window, (w, n) => Counted(load, w, n), () => server.ProcessorTime));
                await Console.Error.WriteLineAsync($"  /api/messages c={connections}: {report.Messages[^1].TurnsPerSecond:F0} turns/s");
            }

            report.RepliesPerTurn = answered == 0 ? 0 : (connector.Posts - postsBefore) / (double)answered;
            if (target.DirectLine && options.DirectLine)
            {
                await MeasureDirectLineAsync(http, report, options, () => server.ProcessorTime);
            }

            report.LoadedBytes = server.ResidentBytes;
        }

        return report;
    }

    /// <summary>
    /// The bot's start when no stored model fits, so that it trains and caches the model (its first start after the
    /// knowledge base was edited), and the start after it, which reads that cache: a copy of the built output without
    /// the model the build trained, each pair of starts with a cache of its own.
    /// </summary>
    private static async Task<TargetReport[]> MeasureModelStartsAsync(BenchmarkTarget bot, LoadOptions options, HttpClient probe)
    {
        using var copy = BuiltOutputCopy.WithoutBuiltModel(bot.Dll);
        var trained = new TargetReport(bot with { Key = "bot-trained", Name = "bot, SQLite, no stored model (trains)" });
        var cached = new TargetReport(bot with { Key = "bot-cached", Name = "bot, SQLite, model from its cache" });
        for (var pair = 1; pair <= options.Starts; pair++)
        {
            using var cacheFolder = new RunFolder();
            var cache = $"--Knowledge:ModelCache={Path.Combine(cacheFolder.Path, "understanding.model")}";
            foreach (var report in new[] { trained, cached })
            {
                using var folder = new RunFolder();
                using var database = bot.CreateDatabase(options.Postgres);
                await using var server = await StartAsync(report, copy.Dll, [.. bot.Arguments(database, folder.Path), cache], folder.Path, options.Environment, probe);
            }
        }

        return [trained, cached];
    }

    /// <summary>Starts a server on a fresh folder and notes its cold start, and its resident memory after a few idle seconds.</summary>
    private static async Task<ServerProcess> StartAsync(TargetReport report, string dll, IEnumerable<string> arguments, string folder, IReadOnlyDictionary<string, string> environment, HttpClient probe)
    {
        var server = await ServerProcess.StartAsync(dll, arguments, folder, environment, probe);
        report.ColdStarts.Add(server.ColdStart);
        await Task.Delay(Idle);
        report.IdleBytes.Add(server.ResidentBytes);
        return server;
    }

    private static async Task MeasureDirectLineAsync(HttpClient http, TargetReport report, LoadOptions options, Func<TimeSpan> processorTime)
    {
        // A first round at 16 connections warms the channel's code; it is not reported.
        await RunDirectLineAsync(http, 16, TimeSpan.Zero, options.WarmUp, processorTime: null);
        foreach (var connections in options.Connections)
        {
            report.DirectLine.Add(await RunDirectLineAsync(http, connections, LevelWarmUp, options.Window, processorTime));
            await Console.Error.WriteLineAsync($"  Direct Line c={connections}: {report.DirectLine[^1].TurnsPerSecond:F0} turns/s");
        }
    }

    private static async Task<LoadResult> RunDirectLineAsync(HttpClient http, int connections, TimeSpan warmUp, TimeSpan window, Func<TimeSpan>? processorTime)
    {
        var visitors = await ConnectAsync(http, connections);
        try
        {
            return await LoadRun.MeasureAsync(connections, warmUp, window, (worker, n) =>
            {
                var (text, locale) = Questions.For(worker, n);
                return visitors[worker].TurnAsync(text, locale, DirectLineVisitor.ClientId(worker, n));
            }, processorTime);
        }
        finally
        {
            foreach (var visitor in visitors)
            {
                await visitor.DisposeAsync();
            }
        }
    }

    /// <summary>Opens the visitors' conversations a few at a time (each start runs the bot's welcome turn).</summary>
    private static async Task<List<DirectLineVisitor>> ConnectAsync(HttpClient http, int count)
    {
        var visitors = new DirectLineVisitor[count];
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                visitors[i] = await DirectLineVisitor.ConnectAsync(http, Questions.For(i, 0).Locale);
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. visitors];
    }

    private static void Print(TextWriter output, IReadOnlyList<TargetReport> reports, LoadOptions options, string loadBefore, string loadAfter)
    {
        string F(string format, params object[] values) => string.Format(CultureInfo.InvariantCulture, format, values);
        double Mb(long bytes) => bytes / (1024.0 * 1024.0);
        var bare = reports.FirstOrDefault(r => r.Target.Key == "bare");

        output.WriteLine();
        output.WriteLine(F(
            "ExportCenter.Bot load benchmark, {0:yyyy-MM-dd HH:mm} UTC; {1} cores ({2}); {3}; load average before {4}, after {5}; {6} s per point after {7} s at the point's connections, each path after {8} s at 16.",
            DateTime.UtcNow,
            Environment.ProcessorCount,
            CpuModel(),
            RuntimeInformation.FrameworkDescription,
            loadBefore,
            loadAfter,
            options.Window.TotalSeconds,
            LevelWarmUp.TotalSeconds,
            options.WarmUp.TotalSeconds));
        if (options.Environment.Count > 0)
        {
            output.WriteLine("Bot environment: " + string.Join(", ", options.Environment.Select(e => $"{e.Key}={e.Value}")));
        }

        output.WriteLine();
        output.WriteLine(F("| target | cold start, median of {0} (ms) | × bare app | idle RSS (MB) | × bare app | RSS after the load (MB) |", options.Starts));
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var report in reports)
        {
            var start = Median(report.ColdStarts.Select(s => s.TotalMilliseconds));
            var idle = Median(report.IdleBytes.Select(b => (double)b));
            output.WriteLine(F(
                "| {0} | {1:F0} | {2} | {3:F0} | {4} | {5} |",
                report.Target.Name,
                start,
                bare is null ? "-" : F("{0:F1}", start / Median(bare.ColdStarts.Select(s => s.TotalMilliseconds))),
                Mb((long)idle),
                bare is null ? "-" : F("{0:F1}", idle / Median(bare.IdleBytes.Select(b => (double)b))),
                report.LoadedBytes == 0 ? "-" : F("{0:F0}", Mb(report.LoadedBytes))));
        }

        output.WriteLine();
        var header = string.Join(" | ", options.Connections.Select(c => F("{0} connections", c)));
        output.WriteLine($"| turns/s (p50 / p99 ms) | target | {header} | {options.Connections[^1]} vs {options.Connections[0]} |");
        output.WriteLine("|---|---|" + string.Concat(options.Connections.Select(_ => "---:|")) + "---:|");
        void Rows(string path, Func<TargetReport, List<LoadResult>> results)
        {
            foreach (var report in reports.Where(r => results(r).Count > 0))
            {
                var cells = results(report).Select(r => F("{0:F0} ({1:F1} / {2:F1}){3}", r.TurnsPerSecond, r.P50Milliseconds, r.P99Milliseconds, r.Errors > 0 ? F(", {0} errors", r.Errors) : string.Empty));
                var ratio = results(report)[^1].TurnsPerSecond / results(report)[0].TurnsPerSecond;
                output.WriteLine(F("| {0} | {1} | {2} | {3:F0}% |", path, report.Target.Name, string.Join(" | ", cells), ratio * 100));
            }
        }

        Rows("/api/messages", r => r.Messages);
        Rows("Direct Line", r => r.DirectLine);

        output.WriteLine();
        output.WriteLine($"| server CPU per turn (ms) | target | {header} |");
        output.WriteLine("|---|---|" + string.Concat(options.Connections.Select(_ => "---:|")));
        void CpuRows(string path, Func<TargetReport, List<LoadResult>> results)
        {
            foreach (var report in reports.Where(r => results(r).Count > 0))
            {
                output.WriteLine(F("| {0} | {1} | {2} |", path, report.Target.Name, string.Join(" | ", results(report).Select(r => F("{0:F2}", r.CpuMillisecondsPerTurn)))));
            }
        }

        CpuRows("/api/messages", r => r.Messages);
        CpuRows("Direct Line", r => r.DirectLine);

        output.WriteLine();
        var echo = reports.FirstOrDefault(r => r.Target.Key == "echo");
        foreach (var bot in reports.Where(r => r.Target.IsBot && r.Messages.Count > 0 && echo is not null))
        {
            output.WriteLine(F(
                "{0} vs echo bot on /api/messages: {1}.",
                bot.Target.Name,
                string.Join(", ", bot.Messages.Zip(echo!.Messages, (b, e) => F("{0:F0}% at {1}", 100 * b.TurnsPerSecond / e.TurnsPerSecond, b.Connections)))));
        }

        output.WriteLine("Connector posts per /api/messages turn: " + string.Join(", ", reports.Where(r => r.Messages.Count > 0).Select(r => F("{0} {1:F2}", r.Target.Name, r.RepliesPerTurn))) + ".");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU"
            : "unknown CPU";

    /// <summary>What was measured of one target.</summary>
    private sealed class TargetReport(BenchmarkTarget target)
    {
        public BenchmarkTarget Target { get; } = target;

        public List<TimeSpan> ColdStarts { get; } = [];

        public List<long> IdleBytes { get; } = [];

        public long LoadedBytes { get; set; }

        public List<LoadResult> Messages { get; } = [];

        public List<LoadResult> DirectLine { get; } = [];

        public double RepliesPerTurn { get; set; }
    }

    /// <summary>The working folder of one start (the bot's data/ and mail go there), deleted afterwards.</summary>
    private sealed class RunFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("exportcenter-load-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
