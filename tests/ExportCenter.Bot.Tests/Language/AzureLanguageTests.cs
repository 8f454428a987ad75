using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using System.Net;
using ExportCenter.Bot.Insight;
using ExportCenter.Bot.Language;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Knowledge.Entities;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Tests.Language;

/// <summary>
/// The optional Azure AI Language backend against a fake of its REST API on loopback: the request shapes, the API version
/// and the key header, throttling (429 with Retry-After), failures and timeouts, the fallback to the local detector, and in
/// the bot the masking of the unanswered questions and the privacy notice that names the service.
/// </summary>
public sealed class AzureLanguageTests
{
    private static AzureLanguageClient Client(Uri endpoint, int retries = 2, TimeSpan? timeout = null) => new(Options.Create(new AzureLanguageOptions
    {
        Provider = "Azure",
        Endpoint = endpoint,
        Region = "swedencentral",
        Key = FakeAzureLanguage.Key,
        MaxRetries = retries,
        Timeout = timeout ?? TimeSpan.FromSeconds(3),
    }));

    [Fact]
    public async Task PiiRecognition_SendsTheDocumentedRequest_AndMasksWithTheBotsPlaceholders()
    {
        await using var fake = await FakeAzureLanguage.StartAsync();
        var masker = new AzurePiiMasker(Client(fake.Endpoint), new LocalPiiMasker(new EntityExtractor(new StandardEntityRecognizers())));

        var masked = await masker.MaskAsync("Jag heter Karin Andersson, karin@bruket.se, org.nr 556677-8899. Hur exporterar vi?", "sv", CancellationToken.None);

        Assert.Equal("Jag heter [namn], [e-post], org.nr [organisationsnummer]. Hur exporterar vi?", masked);
        var (path, key, body, _) = Assert.Single(fake.Requests);
        Assert.Equal("/language/:analyze-text?api-version=2023-04-01&stringIndexType=Utf16CodeUnit", path);
        Assert.Equal(FakeAzureLanguage.Key, key);
        Assert.Equal("PiiEntityRecognition", body["kind"]!.GetValue<string>());
        var document = body["analysisInput"]!["documents"]![0]!;
        Assert.Equal(("1", "sv"), (document["id"]!.GetValue<string>(), document["language"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Throttling_IsWaitedOutAsRetryAfterSays_ThenTheAnswerComes()
    {
        await using var fake = await FakeAzureLanguage.StartAsync();
        fake.Failures.Enqueue(429);
        fake.Failures.Enqueue(503);
        var client = Client(fake.Endpoint);

        var clock = Stopwatch.StartNew();
        var entities = await client.RecognizePiiAsync("Skicka till per@exempel.se", "sv", CancellationToken.None);

        Assert.Equal("Email", Assert.Single(entities).Category);
        var requests = fake.Requests.ToList();
        Assert.Equal(3, requests.Count);
        // Retry-After: 1 was honoured between the 429 and the next attempt.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromMilliseconds(900), $"{(requests[1].At - requests[0].At).TotalMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task PersistentFailure_Throws_AndTheMaskerKeepsNothingUnmasked()
    {
        await using var fake = await FakeAzureLanguage.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            fake.Failures.Enqueue(500);
        }

        var masker = new AzurePiiMasker(Client(fake.Endpoint, retries: 1), new LocalPiiMasker(new EntityExtractor(new StandardEntityRecognizers())));
        var failure = await Assert.ThrowsAsync<AzureLanguageException>(() => masker.MaskAsync("karin@bruket.se", "sv", CancellationToken.None));
        Assert.Equal(500, failure.Status);
        Assert.DoesNotContain("karin", failure.Message, StringComparison.Ordinal);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task LanguageDetection_UsesAzure_AndFallsBackToTheLocalDetector_OnFailureOrTimeout()
    {
        await using var fake = await FakeAzureLanguage.StartAsync();
        // Retries on, as configured by default: when they run out the pipeline throws an AggregateException.
        var detector = new AzureLanguageDetector(Client(fake.Endpoint, retries: 2, timeout: TimeSpan.FromMilliseconds(500)), RegionLanguageDetector.Shared, NullLogger<AzureLanguageDetector>.Instance,
            new LocalPiiMasker(new EntityExtractor(new StandardEntityRecognizers())));

        Assert.Equal("de", detector.Detect("Hallo, ich möchte nach Schweden exportieren").Code);
        var (_, _, body, _) = fake.Requests.Last();
        Assert.Equal("LanguageDetection", body["kind"]!.GetValue<string>());
        Assert.Equal("se", body["analysisInput"]!["documents"]![0]!["countryHint"]!.GetValue<string>());

        // What is sent has its contact details masked: the language does not need them.
        detector.Detect("Hallo, ich bin unter hans@firma.de erreichbar");
        Assert.Contains("[e-post]", fake.Requests.Last().Body["analysisInput"]!["documents"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);

        for (var i = 0; i < 3; i++)
        {
            fake.Failures.Enqueue(500);
        }

        Assert.Equal("sv", detector.Detect("Hur får jag ett EORI-nummer till min firma?").Code);
        var asked = fake.Requests.Count;
        Assert.Equal("sv", detector.Detect("Hur får jag ett EORI-nummer till min firma?").Code);
        Assert.Equal(asked, fake.Requests.Count); // the same message again: not sent again
        // An answer that would take 3 s: the turn has its answer from the local detector after the wait (2 s) instead.
        fake.Delay = TimeSpan.FromSeconds(3);
        var slow = Stopwatch.StartNew();
        Assert.Equal("sv", detector.Detect("Vilka papper behöver jag för att sälja maskiner till Norge?").Code);
        Assert.True(slow.Elapsed < TimeSpan.FromSeconds(2.9), $"{slow.Elapsed.TotalMilliseconds} ms");
        Assert.Equal(LanguageGuess.Undetermined, detector.Detect("123 !!").Code);
    }

    [Fact]
    public async Task WithoutAKey_TheHostsManagedIdentitySignsTheRequests()
    {
        // Azure.Core sends a bearer token over https only: the fake serves https with a certificate the client pins.
        using var certificate = FakeTokenIssuer.CreateLoopbackCertificate();
        await using var fake = await FakeAzureLanguage.StartAsync(certificate);
        var tokenRequests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // App Service's managed identity: a token endpoint named by IDENTITY_ENDPOINT, with the secret IDENTITY_HEADER.
        var (identity, identityEndpoint) = await LoopbackServer.StartAsync(app => app.MapGet("/msi/token", (Microsoft.AspNetCore.Http.HttpContext http) =>
        {
            tokenRequests.Enqueue($"{http.Request.QueryString} {http.Request.Headers["X-IDENTITY-HEADER"]}");
            return Microsoft.AspNetCore.Http.Results.Json(new
            {
                access_token = FakeAzureLanguage.ManagedIdentityToken,
                expires_on = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                resource = "https://cognitiveservices.azure.com",
                token_type = "Bearer",
            });
        }));
        await using (identity)
        {
            Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", new Uri(identityEndpoint, "msi/token").AbsoluteUri);
            Environment.SetEnvironmentVariable("IDENTITY_HEADER", "fake-identity-secret");
            try
            {
#pragma warning disable CA2000 // the transport owns the handler, the client its transport, for the test's length
                var transport = new Azure.Core.Pipeline.HttpClientTransport(new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
                });
#pragma warning restore CA2000
                var client = new AzureLanguageClient(Options.Create(new AzureLanguageOptions { Provider = "Azure", Endpoint = fake.Endpoint, Region = "swedencentral" }), transport);
                var entities = await client.RecognizePiiAsync("Skicka till per@exempel.se", "sv", CancellationToken.None);

                Assert.Equal("Email", Assert.Single(entities).Category);
                var token = Assert.Single(tokenRequests);
                Assert.Contains("resource=https", token, StringComparison.Ordinal);
                Assert.Contains("cognitiveservices.azure.com", token, StringComparison.Ordinal);
                Assert.EndsWith(" fake-identity-secret", token, StringComparison.Ordinal);
                Assert.Equal("", Assert.Single(fake.Requests).Key);
            }
            finally
            {
                Environment.SetEnvironmentVariable("IDENTITY_ENDPOINT", null);
                Environment.SetEnvironmentVariable("IDENTITY_HEADER", null);
            }
        }
    }

    [Theory]
    [InlineData("eastus", "Language:Region must be the resource's Azure region in the EU")]
    [InlineData(null, "Language:Region must be")]
    public void AnEndpointOutsideTheEu_IsRefused(string? region, string problem)
    {
        var options = new AzureLanguageOptions { Provider = "Azure", Endpoint = new Uri("https://ec.cognitiveservices.azure.com/"), Region = region, Key = "k" };
        Assert.StartsWith(problem, options.Problem(), StringComparison.Ordinal);
        Assert.Null(new AzureLanguageOptions().Problem());
        Assert.Equal("Language:Endpoint must be https.", new AzureLanguageOptions { Provider = "Azure", Endpoint = new Uri("http://ec.example.se/"), Region = "swedencentral" }.Problem());
    }

    [Fact]
    public async Task InTheBot_UnansweredQuestionsAreMaskedByAzure_AndThePrivacyNoticeNamesIt()
    {
        await using var fake = await FakeAzureLanguage.StartAsync();
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["Language:Provider"] = "Azure",
            ["Language:Endpoint"] = fake.Endpoint.AbsoluteUri,
            ["Language:Region"] = "swedencentral",
            ["Language:Key"] = FakeAzureLanguage.Key,
        });
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        using (var response = await chat.PostMessageAsync("Vilken fotbollsklubb vann allsvenskan förra året? Hälsningar Karin Andersson", "oos-1"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await app.Services.GetRequiredService<AnswerRecordBuffer>().FlushAsync();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal("Vilken fotbollsklubb vann allsvenskan förra året? Hälsningar [namn]", (await db.UnansweredQuestions.SingleAsync()).Text);
        }

        Assert.Contains(fake.Requests, r => r.Body["kind"]!.GetValue<string>() == "PiiEntityRecognition");
        using var http = app.CreateHttpClient();
        var notice = await http.GetStringAsync("privacy.html");
        Assert.Contains("Azure AI Language i regionens egen resurs i swedencentral", notice, StringComparison.Ordinal);
        Assert.Contains("Azure AI Language service, in the region's own resource in swedencentral", notice, StringComparison.Ordinal);

        using var local = new BotApp();
        using var localHttp = local.CreateHttpClient();
        Assert.DoesNotContain("Azure", await localHttp.GetStringAsync("privacy.html"), StringComparison.Ordinal);
    }
}
