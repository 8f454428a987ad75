using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>
/// A Bot Connector on loopback, in the benchmark's own process, for the replies of <c>/api/messages</c> turns: every
/// POST under <c>/v3/conversations/</c> is read and answered 200 with a resource id, as the connector answers, and counted.
/// </summary>
internal sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _posts;

    private FakeConnector(WebApplication app) => _app = app;

    /// <summary>The serviceUrl the activities name (ends with a slash).</summary>
    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>How many replies the connector has taken.</summary>
    public long Posts => Interlocked.Read(ref _posts);

    public static async Task<FakeConnector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var connector = new FakeConnector(app);
        app.MapPost("/v3/conversations/{**rest}", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            var id = Interlocked.Increment(ref connector._posts);
            return Results.Text("{\"id\":\"" + id.ToString(CultureInfo.InvariantCulture) + "\"}", "application/json");
        });
        await app.StartAsync();
        connector.ServiceUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return connector;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
