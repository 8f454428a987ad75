using System.Net;
using ExportCenter.Bot.Telemetry;
using ExportCenter.Bot.Testing;
using ExportCenter.Knowledge.Understanding;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ExportCenter.Bot.Tests.Telemetry;

/// <summary>
/// The bot's instruments as an operator's collector sees them (the in-memory exporter), and the Prometheus endpoint,
/// off unless configured. Tags name channels, actions and kinds only: nothing a company wrote, no id or address.
/// </summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task AQuestionAndAHandoff_AreCountedByChannelAndAction_WithNoPersonalDataInTheTags()
    {
        using var database = TestDatabase.Create("sqlite");
        var exported = new List<MetricSnapshot>();
        // The outbox is drained by the test alone: a background round could hold the email while the drain runs.
        using var app = new BotApp(new Dictionary<string, string?>(database.Settings) { ["Outbox:Enabled"] = "false" }, s => s.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(BotMetrics.MeterName, UnderstandingMetrics.MeterName).AddInMemoryExporter(exported);
            // Other tests' bots run in this process at the same time, each with a meter of the same name: only this
            // bot's (its meter factory's) are read, beside the understanding's static meter.
            ((IDeferredMeterProviderBuilder)m).Configure((services, builder) =>
            {
                var mine = services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
                builder.AddView(instrument => instrument.Meter.Name == BotMetrics.MeterName && !ReferenceEquals(instrument.Meter.Scope, mine) ? MetricStreamConfiguration.Drop : null);
            });
        }));
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        (await chat.PostMessageAsync("Hur skaffar vi ett EORI-nummer?", "q-1")).Dispose();
        await ChatSteps.CompleteHandoffAsync(app);
        await ChatSteps.DrainOutboxAsync(app);

        app.Services.GetRequiredService<MeterProvider>().ForceFlush();

        Assert.True(Sum(exported, "exportcenter.turns", ("channel", "directline"), ("action", "answer")) >= 1);
        Assert.True(Sum(exported, "exportcenter.turns", ("channel", "directline"), ("action", "handoff")) >= 1);
        Assert.True(Sum(exported, "exportcenter.turns", ("channel", "directline"), ("action", "dialog")) >= 1);
        Assert.Equal(1, Sum(exported, "exportcenter.ticket.events", ("action", "created")));
        Assert.Equal(1, Gauge(exported, "exportcenter.tickets", ("state", "open")));
        Assert.Equal(0, Gauge(exported, "exportcenter.tickets", ("state", "claimed")));
        Assert.True(Sum(exported, "exportcenter.outbox.sent", ("kind", "ticket-email")) >= 1);
        Assert.True(Last(exported, "exportcenter.understanding.duration").Where(p => Tags(p).Contains(("action", "answer"))).Sum(p => p.GetHistogramCount()) >= 1);

        var values = exported.SelectMany(m => m.MetricPoints).SelectMany(Tags).Select(t => t.Value).Distinct().ToList();
        Assert.NotEmpty(values);
        Assert.All(values, v => Assert.Matches("^[a-z_-]+$", v));
    }

    [Fact]
    public async Task Metrics_AreServedForPrometheus_OnlyWhenTurnedOn()
    {
        using var database = TestDatabase.Create("sqlite");
        using (var off = new BotApp(database.Settings))
        {
            using var response = await off.CreateHttpClient().GetAsync("/metrics");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var on = new BotApp(new Dictionary<string, string?>(database.Settings) { ["Telemetry:Prometheus"] = "true" });
        var chat = await new DirectLineClient(on.CreateHttpClient()).OpenAsync("sv-SE");
        (await chat.PostMessageAsync("Hur skaffar vi ett EORI-nummer?", "q-1")).Dispose();

        using var scrape = await on.CreateHttpClient().GetAsync("/metrics");
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("exportcenter_turns_total{", text, StringComparison.Ordinal);
        Assert.Contains("action=\"answer\"", text, StringComparison.Ordinal);
        Assert.Contains("exportcenter_understanding_duration_milliseconds_bucket{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("EORI", text, StringComparison.Ordinal);
    }

    private static IEnumerable<MetricPoint> Last(List<MetricSnapshot> exported, string name) =>
        exported.LastOrDefault(m => m.Name == name)?.MetricPoints ?? [];

    private static long Sum(List<MetricSnapshot> exported, string name, params (string Key, string Value)[] tags) =>
        Last(exported, name).Where(p => tags.All(t => Tags(p).Contains(t))).Sum(p => p.GetSumLong());

    private static long Gauge(List<MetricSnapshot> exported, string name, params (string Key, string Value)[] tags) =>
        Last(exported, name).Where(p => tags.All(t => Tags(p).Contains(t))).Sum(p => p.GetGaugeLastValueLong());

    private static List<(string Key, string Value)> Tags(MetricPoint point)
    {
        var tags = new List<(string, string)>();
        foreach (var tag in point.Tags)
        {
            tags.Add((tag.Key, tag.Value?.ToString() ?? string.Empty));
        }

        return tags;
    }
}
