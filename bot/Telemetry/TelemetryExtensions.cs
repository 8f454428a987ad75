using Microsoft.Extensions.DependencyInjection.Extensions;
using ExportCenter.Knowledge.Understanding;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ExportCenter.Bot.Telemetry;

/// <summary>
/// OpenTelemetry for operators: the bot's instruments (<see cref="BotMetrics"/>, <see cref="UnderstandingMetrics"/>)
/// with ASP.NET Core's and HttpClient's, traces across a turn (requests, EF Core, outgoing HTTP), and logs, all under
/// one resource (<c>service.name</c> ExportCenter.Bot).
/// <list type="bullet">
/// <item><c>Telemetry:OtlpEndpoint</c> (e.g. <c>http://collector:4317</c>) exports metrics, traces and logs by OTLP;
/// <c>Telemetry:OtlpProtocol</c> is <c>grpc</c> (the default) or <c>http/protobuf</c> (then to <c>/v1/traces</c>,
/// <c>/v1/metrics</c> and <c>/v1/logs</c> under the endpoint, usually port 4318).</item>
/// <item><c>Telemetry:Prometheus=true</c> serves <c>/metrics</c> for a Prometheus scrape.</item>
/// </list>
/// With neither, no OpenTelemetry is set up and an instrument costs a turn one check that nothing listens.
/// </summary>
public static class TelemetryExtensions
{
    public const string ServiceName = "ExportCenter.Bot";

    public static IHostApplicationBuilder AddBotTelemetry(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddBotMetrics(builder.Services);
        builder.Services.TryAddSingleton<StoreGauges>();
        var otlp = OtlpEndpoint(builder.Configuration);
        var prometheus = Prometheus(builder.Configuration);
        var protocol = builder.Configuration["Telemetry:OtlpProtocol"] ?? "grpc";
        if (protocol is not ("grpc" or "http/protobuf"))
        {
            throw new InvalidOperationException("Telemetry:OtlpProtocol must be grpc or http/protobuf.");
        }

        if (otlp is not null || prometheus)
        {
            AddOpenTelemetry(builder, otlp, protocol == "http/protobuf", prometheus);
        }

        return builder;
    }

    /// <summary>The bot's instruments (also needed by the storage, whose contexts count ticket events); registered once.</summary>
    public static IServiceCollection AddBotMetrics(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton<BotMetrics>();
        services.TryAddSingleton<TicketEventMetrics>();
        return services;
    }

    // Its own method, so that a bot without telemetry does not even load the OpenTelemetry assemblies (start, memory).
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void AddOpenTelemetry(IHostApplicationBuilder builder, Uri? otlp, bool httpProtobuf, bool prometheus)
    {
        // Over HTTP each signal has its own path; over gRPC the endpoint is the collector's address.
        void Otlp(OpenTelemetry.Exporter.OtlpExporterOptions o, string signal)
        {
            o.Protocol = httpProtobuf ? OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf : OpenTelemetry.Exporter.OtlpExportProtocol.Grpc;
            o.Endpoint = httpProtobuf ? new Uri(otlp!.AbsoluteUri.TrimEnd('/') + "/v1/" + signal) : otlp!;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName, serviceVersion: typeof(TelemetryExtensions).Assembly.GetName().Version?.ToString()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(BotMetrics.MeterName, UnderstandingMetrics.MeterName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation();
                if (prometheus)
                {
                    metrics.AddPrometheusExporter();
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => Otlp(o, "metrics"));
                }
            });
        if (otlp is not null)
        {
            telemetry.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddOtlpExporter(o => Otlp(o, "traces")));
            builder.Logging.AddOpenTelemetry(logs => logs.AddOtlpExporter(o => Otlp(o, "logs")));
        }
    }

    /// <summary>Creates the database's gauges (read only when collected), and maps <c>/metrics</c> when <c>Telemetry:Prometheus</c> is on.</summary>
    public static WebApplication MapBotTelemetry(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<StoreGauges>();
        if (Prometheus(app.Configuration))
        {
            MapPrometheus(app);
        }

        return app;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void MapPrometheus(WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics");

    private static Uri? OtlpEndpoint(IConfiguration configuration) =>
        configuration["Telemetry:OtlpEndpoint"] is { Length: > 0 } value
            ? Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException("Telemetry:OtlpEndpoint is not an absolute URL.")
            : null;

    private static bool Prometheus(IConfiguration configuration) => configuration.GetValue<bool>("Telemetry:Prometheus");
}
