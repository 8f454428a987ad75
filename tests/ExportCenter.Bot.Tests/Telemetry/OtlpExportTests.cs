using System.Collections.Concurrent;
using System.Text;
using ExportCenter.Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExportCenter.Bot.Tests.Telemetry;

/// <summary>
/// OTLP export (http/protobuf) to a fake collector on loopback: traces across a turn with its EF Core commands and outgoing
/// HTTP, metrics and logs, all under the service's resource, and nothing a company wrote in any of them.
/// </summary>
public sealed class OtlpExportTests
{
    [Fact]
    public async Task TracesMetricsAndLogs_ReachTheCollector_UnderOneResource_WithoutPersonalData()
    {
        var received = new ConcurrentQueue<(string Path, string ContentType, byte[] Body)>();
        var (collector, endpoint) = await LoopbackServer.StartAsync(app => app.MapPost("/v1/{signal}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            received.Enqueue((http.Request.Path, http.Request.ContentType ?? "", body.ToArray()));
            return Results.Ok();
        }));
        await using (collector)
        {
            using (var app = new BotApp(new Dictionary<string, string?>
            {
                ["Telemetry:OtlpEndpoint"] = endpoint.AbsoluteUri,
                ["Telemetry:OtlpProtocol"] = "http/protobuf",
                ["Logging:LogLevel:Default"] = "Information",
            }))
            {
                await ChatSteps.CompleteHandoffAsync(app);
                await ChatSteps.DrainOutboxAsync(app);
            }

            // Disposing the host flushed every exporter.
            var bySignal = received.GroupBy(r => r.Path).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal(["/v1/logs", "/v1/metrics", "/v1/traces"], bySignal.Keys.Order(StringComparer.Ordinal));
            Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
            foreach (var (signal, bodies) in bySignal)
            {
                Assert.True(bodies.Any(b => Has(b.Body, "ExportCenter.Bot")), $"{signal} without the service's resource");
            }

            var traces = bySignal["/v1/traces"].Select(b => b.Body).ToList();
            // The company's post to the embedded Direct Line, the bot's EF Core commands (the ticket) and its outgoing HTTP.
            Assert.Contains(traces, b => Has(b, "v3/directline/conversations/{conversationId}/activities"));
            Assert.Contains(traces, b => Has(b, "sqlite"));
            Assert.Contains(traces, b => Has(b, "Microsoft.EntityFrameworkCore") || Has(b, "OpenTelemetry.Instrumentation.EntityFrameworkCore"));
            Assert.Contains(traces, b => Has(b, "System.Net.Http"));
            Assert.Contains(bySignal["/v1/metrics"].Select(b => b.Body), b => Has(b, "exportcenter.turns"));

            foreach (var (_, _, body) in received)
            {
                foreach (var personal in new[] { "anna.berg@gjuteri.se", "Ludvika Gjuteri", "Anna Berg", "Banken vill inte" })
                {
                    Assert.False(Has(body, personal), $"an OTLP payload holds '{personal}'");
                }
            }
        }
    }

    private static bool Has(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;
}
