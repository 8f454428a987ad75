using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// A stand-in for Azure Bot Service's Direct Line token endpoint on loopback: answers
/// <c>POST /v3/directline/tokens/generate</c> when called with the expected secret, and records requests.
/// </summary>
public sealed class FakeAzureDirectLine : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAzureDirectLine(WebApplication app, ConcurrentQueue<(string Authorization, JsonObject Body)> requests)
    {
        _app = app;
        Requests = requests;
    }

    public required Uri Endpoint { get; init; }

    /// <summary>Authorization headers and bodies of the token requests received.</summary>
    public ConcurrentQueue<(string Authorization, JsonObject Body)> Requests { get; }

    public static async Task<FakeAzureDirectLine> StartAsync(string secret)
    {
        var requests = new ConcurrentQueue<(string Authorization, JsonObject Body)>();
        var (app, baseAddress) = await LoopbackServer.StartAsync(app => app.MapPost("/v3/directline/tokens/generate", async (HttpContext http) =>
        {
            var authorization = http.Request.Headers.Authorization.ToString();
            var body = (await JsonNode.ParseAsync(http.Request.Body))?.AsObject() ?? [];
            requests.Enqueue((authorization, body));
            return authorization == $"Bearer {secret}"
                ? Results.Text(new JsonObject { ["conversationId"] = "AzConv-eu", ["token"] = "azure-issued-token", ["expires_in"] = 3600 }.ToJsonString(), "application/json")
                : Results.Json(new { error = new { code = "BadArgument", message = "Unknown secret" } }, statusCode: 403);
        }));
        return new FakeAzureDirectLine(app, requests) { Endpoint = new Uri(baseAddress, "/v3/directline") };
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
