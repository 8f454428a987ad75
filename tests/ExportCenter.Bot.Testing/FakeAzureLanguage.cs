using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// A fake of the Azure AI Language REST API on loopback, at the wire level: <c>POST /language/:analyze-text</c> with the
/// api-version, the key header and the request shapes as Microsoft documents them for LanguageDetection and
/// PiiEntityRecognition. It recognises emails and capitalised two-word names (Person), answers a queued status first when a
/// test asks for failures (429 with Retry-After, 500, 401), and records every request it was sent.
/// </summary>
public sealed class FakeAzureLanguage : IAsyncDisposable
{
    public const string Key = "fake-language-key";

    /// <summary>The bearer token a managed identity's token endpoint hands out in the tests, accepted instead of the key.</summary>
    public const string ManagedIdentityToken = "fake-managed-identity-token";

    private readonly WebApplication _app;

    private FakeAzureLanguage(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Every request: its path and query, the key header and the JSON body.</summary>
    public ConcurrentQueue<(string PathAndQuery, string? Key, JsonNode Body, DateTimeOffset At)> Requests { get; } = new();

    /// <summary>Statuses answered before the real answer, one per request (429 comes with Retry-After: 1).</summary>
    public ConcurrentQueue<int> Failures { get; } = new();

    /// <summary>A delay before every answer (for timeouts).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Starts the fake; with a certificate on https, as a managed identity's bearer token needs.</summary>
    public static async Task<FakeAzureLanguage> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        FakeAzureLanguage? fake = null;
        var (app, baseAddress) = await LoopbackServer.StartAsync(app => app.MapPost("/language/:analyze-text", (HttpContext http) => fake!.AnswerAsync(http)), certificate);
        fake = new FakeAzureLanguage(app, baseAddress);
        return fake;
    }

    private async Task AnswerAsync(HttpContext http)
    {
        var body = await JsonNode.ParseAsync(http.Request.Body) ?? new JsonObject();
        Requests.Enqueue((http.Request.Path + http.Request.QueryString, http.Request.Headers["Ocp-Apim-Subscription-Key"].ToString(), body, DateTimeOffset.UtcNow));
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, http.RequestAborted);
        }

        if (http.Request.Query["api-version"] != "2023-04-01")
        {
            await Error(http, 404, "UnsupportedApiVersion");
            return;
        }

        if (http.Request.Headers["Ocp-Apim-Subscription-Key"] != Key && http.Request.Headers.Authorization != "Bearer " + ManagedIdentityToken)
        {
            await Error(http, 401, "401");
            return;
        }

        if (Failures.TryDequeue(out var status))
        {
            if (status == 429)
            {
                http.Response.Headers.RetryAfter = "1";
            }

            await Error(http, status, status == 429 ? "TooManyRequests" : "InternalServerError");
            return;
        }

        var kind = body["kind"]?.GetValue<string>();
        var document = body["analysisInput"]?["documents"]?[0];
        var text = document?["text"]?.GetValue<string>() ?? "";
        JsonObject result = kind switch
        {
            "LanguageDetection" => new JsonObject
            {
                ["kind"] = "LanguageDetectionResults",
                ["results"] = new JsonObject
                {
                    ["documents"] = new JsonArray(new JsonObject
                    {
                        ["id"] = document?["id"]?.GetValue<string>(),
                        ["detectedLanguage"] = Language(text),
                        ["warnings"] = new JsonArray(),
                    }),
                    ["errors"] = new JsonArray(),
                    ["modelVersion"] = "2022-10-01",
                },
            },
            "PiiEntityRecognition" => new JsonObject
            {
                ["kind"] = "PiiEntityRecognitionResults",
                ["results"] = new JsonObject
                {
                    ["documents"] = new JsonArray(new JsonObject
                    {
                        ["id"] = document?["id"]?.GetValue<string>(),
                        ["redactedText"] = text,
                        ["entities"] = Entities(text),
                        ["warnings"] = new JsonArray(),
                    }),
                    ["errors"] = new JsonArray(),
                    ["modelVersion"] = "2023-09-01",
                },
            },
            _ => new JsonObject(),
        };
        if (result.Count == 0)
        {
            await Error(http, 400, "InvalidRequest");
            return;
        }

        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(result.ToJsonString());
    }

    private static JsonObject Language(string text)
    {
        var lower = text.ToLowerInvariant();
        var (name, code) = lower.Contains("hallo", StringComparison.Ordinal) || lower.Contains("ich ", StringComparison.Ordinal) ? ("German", "de")
            : lower.Contains(" och ", StringComparison.Ordinal) || lower.Contains("vi ", StringComparison.Ordinal) ? ("Swedish", "sv")
            : ("English", "en");
        return new JsonObject { ["name"] = name, ["iso6391Name"] = code, ["confidenceScore"] = 0.98 };
    }

    private static JsonArray Entities(string text)
    {
        var entities = new JsonArray();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"[\w.+-]+@[\w-]+\.[\w.]+|\b[A-ZÅÄÖ][a-zåäö]+ [A-ZÅÄÖ][a-zåäö]+son\b"))
        {
            entities.Add(new JsonObject
            {
                ["text"] = m.Value,
                ["category"] = m.Value.Contains('@', StringComparison.Ordinal) ? "Email" : "Person",
                ["offset"] = m.Index,
                ["length"] = m.Length,
                ["confidenceScore"] = 0.9,
            });
        }

        return entities;
    }

    private static async Task Error(HttpContext http, int status, string code)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = "The fake said no." } }.ToJsonString());
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
