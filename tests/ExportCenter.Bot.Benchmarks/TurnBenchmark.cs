using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

// Full turns through the embedded Direct Line channel on Kestrel (loopback) with a SQLite file: each
// POST stores the echo, runs the Bot Framework turn (state read/write, reply through the connector
// client) and stores the reply. Every conversation posts sequentially; conversations run in parallel.
internal static class TurnBenchmark
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["streams", ..])
        {
            await StreamLatencyBenchmark.RunAsync(args[1..]);
            return 0;
        }

        if (args is ["load", ..])
        {
            return await ExportCenter.Bot.Benchmarks.Load.LoadBenchmark.RunAsync(args[1..]);
        }

        var turns = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 16;

        using var host = new BenchmarkHost();
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        var conversations = new List<(string Id, string Token)>();
        for (var i = 0; i < concurrency; i++)
        {
            var session = (await (await http.PostAsync("api/chat/session", null)).Content.ReadFromJsonAsync<JsonObject>())!;
            var token = session["token"]!.GetValue<string>();
            using var start = new HttpRequestMessage(HttpMethod.Post, "v3/directline/conversations") { Content = new StringContent("{\"locale\":\"sv-SE\"}", Encoding.UTF8, "application/json") };
            start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            (await http.SendAsync(start)).EnsureSuccessStatusCode();
            conversations.Add((session["conversationId"]!.GetValue<string>(), token));
        }

        async Task<double> TurnAsync((string Id, string Token) conversation, int n)
        {
            var body = new JsonObject { ["type"] = "message", ["text"] = $"Fråga {n} om export till Norge", ["channelData"] = new JsonObject { ["clientActivityID"] = $"b{n}" } };
            using var request = new HttpRequestMessage(HttpMethod.Post, $"v3/directline/conversations/{conversation.Id}/activities")
            {
                Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", conversation.Token);
            var watch = Stopwatch.StartNew();
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"Turn {n} answered {response.StatusCode}.");
            }

            return watch.Elapsed.TotalMilliseconds;
        }

        // Warm-up (JIT, connection pools, SQLite pages).
        await Task.WhenAll(conversations.Select(c => TurnAsync(c, 0)));

        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        await Task.WhenAll(conversations.Select(async (c, index) =>
        {
            var mine = new List<double>();
            for (var n = index; n < turns; n += concurrency)
            {
                mine.Add(await TurnAsync(c, n + 1));
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        total.Stop();

        latencies.Sort();
        double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)(p * latencies.Count))];
        Console.WriteLine($"turns: {latencies.Count}, conversations in parallel: {concurrency}, cores: {Environment.ProcessorCount}");
        Console.WriteLine($"turns/s: {latencies.Count / total.Elapsed.TotalSeconds:F0}");
        Console.WriteLine($"latency ms: p50 {Percentile(0.50):F1}, p95 {Percentile(0.95):F1}, p99 {Percentile(0.99):F1}, max {latencies[^1]:F1}");
        return 0;
    }
}

/// <summary>The bot host on Kestrel with a temporary SQLite file and limits out of the way.</summary>
internal sealed class BenchmarkHost : WebApplicationFactory<Program>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("exportcenter-bench-").FullName;

    public BenchmarkHost()
    {
        UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
    }

    public Uri BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(AppContext.BaseDirectory);
        builder.UseSetting("ConnectionStrings:Bot", $"Data Source={Path.Combine(_folder, "bench.db")}");
        builder.UseSetting("Knowledge:ModelCache", Path.Combine(_folder, "understanding.model"));
        builder.UseSetting("Urls", "");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("DirectLine:RateLimits:PostsPerClient", "100000");
        builder.UseSetting("DirectLine:RateLimits:PostsPerConversation", "100000");
        builder.UseSetting("DirectLine:RateLimits:TokensPerClient", "100000");
        builder.UseSetting("DirectLine:RateLimits:RefreshesPerToken", "100000");
        builder.UseSetting("DirectLine:RateLimits:ReadsPerToken", "100000");
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
