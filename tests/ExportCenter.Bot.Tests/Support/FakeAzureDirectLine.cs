using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportCenter.Bot.Tests.Support;

/// <summary>
/// A stand-in for Azure Bot Service's Direct Line token endpoint on loopback: answers
/// <c>POST /v3/directline/tokens/generate</c> when called with the expected secret, and records requests.
/// </summary>
public sealed class FakeAzureDirectLine : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAzureDirectLine(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Authorization headers and bodies of the token requests received.</summary>
    public ConcurrentQueue<(string Authorization, JsonObject Body)> Requests { get; } = new();

    public static async Task<FakeAzureDirectLine> StartAsync(string secret)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeAzureDirectLine(app);
        app.MapPost("/v3/directline/tokens/generate", async (HttpContext http) =>
        {
            var authorization = http.Request.Headers.Authorization.ToString();
            var body = (await JsonNode.ParseAsync(http.Request.Body))?.AsObject() ?? [];
            fake.Requests.Enqueue((authorization, body));
            return authorization == $"Bearer {secret}"
                ? Results.Text(new JsonObject { ["conversationId"] = "AzConv-eu", ["token"] = "azure-issued-token", ["expires_in"] = 3600 }.ToJsonString(), "application/json")
                : Results.Json(new { error = new { code = "BadArgument", message = "Unknown secret" } }, statusCode: 403);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Endpoint = new Uri(new Uri(address), "/v3/directline");
        return fake;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
