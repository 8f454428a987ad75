using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Testing;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>
/// With WebChat:DirectLine=Azure the page's session endpoint exchanges the Direct Line secret for a token
/// (Azure's recommended pattern), so the secret never reaches the browser.
/// </summary>
public sealed class AzureDirectLineModeTests
{
    private const string Secret = "the-direct-line-secret";

    [Fact]
    public async Task Session_ExchangesTheSecretForAToken_AndNeverReturnsTheSecret()
    {
        await using var azure = await FakeAzureDirectLine.StartAsync(Secret);
        using var app = AzureApp(azure.Endpoint, Secret);
        using var http = app.CreateHttpClient();

        using var response = await http.PostAsync("api/chat/session", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        var session = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("azure", session["mode"]!.GetValue<string>());
        Assert.Equal("azure-issued-token", session["token"]!.GetValue<string>());
        Assert.Equal(azure.Endpoint.AbsoluteUri.TrimEnd('/'), session["domain"]!.GetValue<string>());
        var (authorization, body) = Assert.Single(azure.Requests);
        Assert.Equal($"Bearer {Secret}", authorization);
        Assert.StartsWith("dl_", body["user"]!["id"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_WhenAzureRefuses_Is502WithProblemDetails()
    {
        await using var azure = await FakeAzureDirectLine.StartAsync("another-secret");
        using var app = AzureApp(azure.Endpoint, Secret);
        using var http = app.CreateHttpClient();

        using var response = await http.PostAsync("api/chat/session", null);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Page_InAzureMode_MayConnectToAzureDirectLine()
    {
        await using var azure = await FakeAzureDirectLine.StartAsync(Secret);
        using var app = AzureApp(azure.Endpoint, Secret);
        using var http = app.CreateHttpClient();

        using var response = await http.GetAsync("/");

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains($"connect-src 'self' {azure.Endpoint.GetLeftPart(UriPartial.Authority)}", csp, StringComparison.Ordinal);
    }

    private static BotApp AzureApp(Uri endpoint, string secret) => new(new Dictionary<string, string?>
    {
        ["WebChat:DirectLine"] = "Azure",
        ["WebChat:AzureDirectLineSecret"] = secret,
        ["WebChat:AzureDirectLineEndpoint"] = endpoint.AbsoluteUri,
    });
}
