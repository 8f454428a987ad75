using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Testing;

// How soon a company's open stream shows what reaches the bot elsewhere: two instances on one fresh PostgreSQL
// database, the stream held on A, messages and typing posted through B one at a time. Each figure is the time from the
// start of the POST to the activity's arrival on the stream (the POST's own work included: token check, storing the
// echo, the signal); the same on one instance is the baseline. The bot's turn runs after the echo is stored and
// signalled, so it is not in the echo's figure.
internal static class StreamLatencyBenchmark
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        using var database = TestDatabase.Create("postgres");
        using var a = new BotApp(new Dictionary<string, string?>(database.Settings) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" });
        using var b = new BotApp(new Dictionary<string, string?>(database.Settings) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" });

        var onA = await new DirectLineClient(a.CreateHttpClient()).OpenAsync("sv-SE");
        var onB = new DirectLineClient(b.CreateHttpClient()) { Token = onA.Token, ConversationId = onA.ConversationId };
        await using var stream = await StreamReceiver.ConnectAsync(onA.StreamUrl!, Deadline);
        await stream.NextAsync(a => a["from"]?["role"]?.GetValue<string>() == "bot", Deadline, "the welcome");

        // Warm-up: JIT, connection pools, the bot's first turns on both instances.
        await MeasureMessagesAsync(onA, stream, 10, "warm-a");
        await MeasureMessagesAsync(onB, stream, 10, "warm-b");

        // Interleaved, so that both see the same load and the same state of the JIT and the database.
        var (same, cross) = (new List<double>(), new List<double>());
        for (var n = 0; n < messages; n++)
        {
            same.AddRange(await MeasureMessagesAsync(onA, stream, 1, $"same-{n}"));
            cross.AddRange(await MeasureMessagesAsync(onB, stream, 1, $"cross-{n}"));
        }

        Report($"echo, post and stream on A ({messages} messages)", same);
        Report($"echo, post on B, stream on A ({messages} messages)", cross);
        Report($"typing, post on B, stream on A ({messages} posts)", await MeasureTypingAsync(onB, stream, messages));
        Console.WriteLine($"cores: {Environment.ProcessorCount}");
    }

    private static async Task<List<double>> MeasureMessagesAsync(DirectLineClient poster, StreamReceiver stream, int count, string prefix)
    {
        var latencies = new List<double>(count);
        for (var n = 0; n < count; n++)
        {
            var id = $"{prefix}-{n}";
            var started = Stopwatch.GetTimestamp();
            using var response = await poster.PostMessageAsync($"Fråga {n} om export till Norge", id);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Message {id} answered {response.StatusCode}.");
            }

            var echo = await stream.NextAsync(a => a["channelData"]?["clientActivityID"]?.GetValue<string>() == id, Deadline, $"the echo of {id}");
            latencies.Add(Stopwatch.GetElapsedTime(started, echo.Timestamp).TotalMilliseconds);
        }

        return latencies;
    }

    private static async Task<List<double>> MeasureTypingAsync(DirectLineClient poster, StreamReceiver stream, int count)
    {
        var latencies = new List<double>(count);
        var typing = new JsonObject { ["type"] = "typing" }.ToJsonString();
        for (var n = 0; n < count; n++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await poster.PostActivityAsync(typing);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Typing {n} answered {response.StatusCode}.");
            }

            var arrived = await stream.NextAsync(a => a["type"]?.GetValue<string>() == "typing" && a["from"]?["role"]?.GetValue<string>() == "user", Deadline, $"typing {n}");
            latencies.Add(Stopwatch.GetElapsedTime(started, arrived.Timestamp).TotalMilliseconds);
        }

        return latencies;
    }

    private static void Report(string what, List<double> latencies)
    {
        latencies.Sort();
        double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: ms p50 {Percentile(0.50):F1}, p95 {Percentile(0.95):F1}, p99 {Percentile(0.99):F1}, max {latencies[^1]:F1}"));
    }
}
