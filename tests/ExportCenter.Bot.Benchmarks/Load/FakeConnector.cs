using System.Globalization;
using System.Runtime.CompilerServices;
using ExportCenter.Bot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>
/// A Bot Connector on loopback, in the benchmark's own process, for the replies of <c>/api/messages</c> turns: every
/// POST under <c>/v3/conversations/</c> is read and answered 200 with a resource id, as the connector answers, and counted.
/// </summary>
internal sealed class FakeConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly StrongBox<long> _posts;

    private FakeConnector(WebApplication app, Uri serviceUrl, StrongBox<long> posts)
    {
        _app = app;
        ServiceUrl = serviceUrl;
        _posts = posts;
    }

    /// <summary>The serviceUrl the activities name (ends with a slash).</summary>
    public Uri ServiceUrl { get; }

    /// <summary>How many replies the connector has taken.</summary>
    public long Posts => Interlocked.Read(ref _posts.Value);

    public static async Task<FakeConnector> StartAsync()
    {
        var posts = new StrongBox<long>();
        var (app, address) = await LoopbackServer.StartAsync(map => map.MapPost("/v3/conversations/{**rest}", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            var id = Interlocked.Increment(ref posts.Value);
            return Results.Text("{\"id\":\"" + id.ToString(CultureInfo.InvariantCulture) + "\"}", "application/json");
        }));
        return new FakeConnector(app, new Uri(address, "/"), posts);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
