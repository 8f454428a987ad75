using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Language;

/// <summary>A PII entity as Azure AI Language found it: offsets in UTF-16 code units of the text sent.</summary>
public sealed record PiiEntity(string Category, int Offset, int Length, double Confidence);

/// <summary>Azure AI Language failed for good (after the pipeline's retries), or answered something this client cannot read.</summary>
public sealed class AzureLanguageException(string message, int? status = null, Exception? inner = null) : Exception(message, inner)
{
    public int? Status { get; } = status;
}

/// <summary>
/// Calls the Azure AI Language REST API (<c>POST {endpoint}/language/:analyze-text</c>, the API Azure.AI.TextAnalytics wraps)
/// for language detection and PII entity recognition, one document a call, through Azure.Core's HTTP pipeline: its retry
/// policy (exponential back-off, a 429's or 503's Retry-After), a timeout per attempt, and the key header or a managed
/// identity's bearer token. Nothing is logged of the text or the answer.
/// </summary>
public sealed class AzureLanguageClient
{
    private readonly HttpPipeline _pipeline;
    private readonly Uri _analyze;

    public AzureLanguageClient(IOptions<AzureLanguageOptions> options, HttpPipelineTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        if (o.Problem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        var clientOptions = new LanguageClientOptions();
        clientOptions.Retry.MaxRetries = o.MaxRetries;
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = o.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = o.Timeout;
        // The texts are companies' messages: no request or response content in Azure.Core's own diagnostics either.
        clientOptions.Diagnostics.IsLoggingContentEnabled = false;
        clientOptions.Diagnostics.IsTelemetryEnabled = false;
        if (transport is not null)
        {
            clientOptions.Transport = transport;
        }

        HttpPipelinePolicy auth = string.IsNullOrEmpty(o.Key)
            ? new BearerTokenAuthenticationPolicy(
                new Azure.Identity.ManagedIdentityCredential(string.IsNullOrEmpty(o.ManagedIdentityClientId) ? null : o.ManagedIdentityClientId),
                "https://cognitiveservices.azure.com/.default")
            : new KeyHeaderPolicy(new AzureKeyCredential(o.Key));
        _pipeline = HttpPipelineBuilder.Build(clientOptions, auth);
        var baseUri = o.Endpoint!.AbsoluteUri.TrimEnd('/');
        _analyze = new Uri($"{baseUri}/language/:analyze-text?api-version={Uri.EscapeDataString(o.ApiVersion)}&stringIndexType=Utf16CodeUnit");
    }

    /// <summary>The language of a text: its ISO 639-1 code and the service's confidence.</summary>
    public (string Code, double Confidence) DetectLanguage(string text, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["kind"] = "LanguageDetection",
            ["parameters"] = new JsonObject { ["modelVersion"] = "latest" },
            ["analysisInput"] = new JsonObject { ["documents"] = new JsonArray(new JsonObject { ["id"] = "1", ["text"] = text, ["countryHint"] = "se" }) },
        };
        using var message = Build(body);
        _pipeline.Send(message, cancellationToken);
        var document = Document(Read(message), "LanguageDetectionResults");
        var detected = document["detectedLanguage"] ?? throw new AzureLanguageException("The language detection answer has no detectedLanguage.");
        return (detected["iso6391Name"]?.GetValue<string>() ?? "und", detected["confidenceScore"]?.GetValue<double>() ?? 0);
    }

    /// <summary>The personal data Azure finds in a text, in the text's language ("sv", "en", …).</summary>
    public async Task<IReadOnlyList<PiiEntity>> RecognizePiiAsync(string text, string language, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["kind"] = "PiiEntityRecognition",
            ["parameters"] = new JsonObject { ["modelVersion"] = "latest" },
            ["analysisInput"] = new JsonObject { ["documents"] = new JsonArray(new JsonObject { ["id"] = "1", ["language"] = language, ["text"] = text }) },
        };
        using var message = Build(body);
        await _pipeline.SendAsync(message, cancellationToken);
        var document = Document(Read(message), "PiiEntityRecognitionResults");
        return [.. (document["entities"]?.AsArray() ?? []).Select(e => new PiiEntity(
            e!["category"]?.GetValue<string>() ?? "Unknown",
            e["offset"]?.GetValue<int>() ?? 0,
            e["length"]?.GetValue<int>() ?? 0,
            e["confidenceScore"]?.GetValue<double>() ?? 0))];
    }

    private HttpMessage Build(JsonObject body)
    {
        var message = _pipeline.CreateMessage();
        var request = message.Request;
        request.Method = RequestMethod.Post;
        request.Uri.Reset(_analyze);
        request.Headers.Add("Content-Type", "application/json");
        request.Headers.Add("Accept", "application/json");
        request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        return message;
    }

    private static JsonNode Read(HttpMessage message)
    {
        var response = message.Response;
        if (response.IsError)
        {
            // The error's code only: its message may quote the text.
            string? code = null;
            try
            {
                code = JsonNode.Parse(response.Content.ToString())?["error"]?["code"]?.GetValue<string>();
            }
            catch (JsonException)
            {
            }

            throw new AzureLanguageException($"Azure AI Language answered {response.Status}{(code is null ? "" : " (" + code + ")")}.", response.Status);
        }

        try
        {
            return JsonNode.Parse(response.Content.ToString()) ?? throw new AzureLanguageException("Azure AI Language answered an empty body.");
        }
        catch (JsonException ex)
        {
            throw new AzureLanguageException("Azure AI Language answered something that is not JSON.", response.Status, ex);
        }
    }

    private static JsonNode Document(JsonNode answer, string kind)
    {
        if (answer["kind"]?.GetValue<string>() != kind)
        {
            throw new AzureLanguageException($"Azure AI Language answered kind '{answer["kind"]}', not {kind}.");
        }

        var results = answer["results"];
        if (results?["errors"] is JsonArray { Count: > 0 } errors)
        {
            throw new AzureLanguageException($"Azure AI Language could not analyse the text ({errors[0]?["error"]?["code"]}).");
        }

        return results?["documents"] is JsonArray { Count: > 0 } documents ? documents[0]! : throw new AzureLanguageException("The answer has no document.");
    }

    private sealed class LanguageClientOptions : ClientOptions;

    /// <summary>The resource key in the Ocp-Apim-Subscription-Key header of every attempt (read each time, so a rotated key applies).</summary>
    private sealed class KeyHeaderPolicy(AzureKeyCredential key) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) => message.Request.Headers.SetValue("Ocp-Apim-Subscription-Key", key.Key);
    }
}
