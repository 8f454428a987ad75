using System.Net;
using System.Net.Http.Json;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.Hosting;

/// <summary>
/// The bot behind a reverse proxy that terminates TLS, on Kestrel (loopback): forwarded headers count only from the
/// trusted proxies of ForwardedHeaders, the cookies are Secure and HSTS is sent when the public URL is https, and the
/// page's public origin is accepted although the request reaches the bot over http.
/// </summary>
public sealed class ReverseProxyTests
{
    private const string LoopbackTrusted = "127.0.0.0/8";

    [Fact]
    public async Task BehindATrustedProxy_EachForwardedClient_HasItsOwnLimit()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownNetworks:0"] = LoopbackTrusted,
            ["DirectLine:RateLimits:TokensPerClient"] = "2",
            ["DirectLine:RateLimits:Window"] = "01:00:00",
        });
        using var first = ForwardedFor(app, "203.0.113.10");
        using var second = ForwardedFor(app, "203.0.113.20");

        using var a = await first.PostAsync("api/chat/session", null);
        using var b = await first.PostAsync("api/chat/session", null);
        using var c = await first.PostAsync("api/chat/session", null);
        using var other = await second.PostAsync("api/chat/session", null);

        Assert.Equal(HttpStatusCode.OK, a.StatusCode);
        Assert.Equal(HttpStatusCode.OK, b.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, c.StatusCode);
        Assert.NotNull(c.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("192.0.2.1")]
    public async Task FromAPeerThatIsNoTrustedProxy_XForwardedForIsIgnored(string? trustedProxy)
    {
        using var app = new BotApp(Settings(
            ("ForwardedHeaders:KnownProxies:0", trustedProxy),
            ("DirectLine:RateLimits:TokensPerClient", "2"),
            ("DirectLine:RateLimits:Window", "01:00:00")));
        using var first = ForwardedFor(app, "203.0.113.10");
        using var second = ForwardedFor(app, "203.0.113.20");

        (await first.PostAsync("api/chat/session", null)).Dispose();
        (await first.PostAsync("api/chat/session", null)).Dispose();
        using var other = await second.PostAsync("api/chat/session", null);

        // Both requests come from loopback, which is the client: a header anyone can send does not make another.
        Assert.Equal(HttpStatusCode.TooManyRequests, other.StatusCode);
    }

    [Fact]
    public async Task BehindATrustedProxy_ATicketKeepsTheKeyOfTheForwardedClient()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["ForwardedHeaders:KnownNetworks:0"] = LoopbackTrusted,
            ["Outbox:Enabled"] = "false",
        });

        await ChatSteps.CompleteHandoffAsync(app, ForwardedFor(app, "203.0.113.10"));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal(app.Services.GetRequiredService<ClientAddressKey>().For(IPAddress.Parse("203.0.113.10")), ticket.ClientKey);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "10.0.0.0/33")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", "proxy.internal")]
    [InlineData("ForwardedHeaders:KnownProxies:0", "10.0.0.300")]
    public void AnEntryThatIsNoNetworkOrAddress_StopsStartUp_NamingItsKey(string key, string value)
    {
        var error = Assert.ThrowsAny<Exception>(() => new BotApp(new Dictionary<string, string?> { [key] = value }));

        Assert.Contains(key, Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VisitorCookie_IsSecure_WhenThePublicUrlIsHttps()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["DirectLine:PublicBaseUrl"] = "https://public.example/" });
        using var http = app.CreateHttpClient();

        using var response = await http.PostAsync("api/chat/session", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("; secure", VisitorCookie(response), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(LoopbackTrusted, true)]
    [InlineData("192.0.2.0/24", false)]
    public async Task VisitorCookie_IsSecure_WhenATrustedProxySaysTheRequestCameOverHttps(string trustedNetwork, bool secure)
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks:0"] = trustedNetwork });
        using var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var response = await http.PostAsync("api/chat/session", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(secure, VisitorCookie(response).Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("DirectLine:PublicBaseUrl", "https://public.example/")]
    [InlineData("ForwardedHeaders:KnownNetworks:0", LoopbackTrusted)]
    public async Task AdvisorsSignInCookie_IsSecure_BehindTlsTermination(string key, string value)
    {
        using var app = new BotApp(new Dictionary<string, string?> { [key] = value });
        var token = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        using var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var signIn = await http.PostAsync("advisors/signin", System.Net.Http.Json.JsonContent.Create(new { token }));

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("ec_advisor", StringComparison.Ordinal));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(true, "https://public.example/", null, "max-age=31536000")]
    [InlineData(true, null, LoopbackTrusted, "max-age=31536000")]
    [InlineData(true, null, null, null)]
    [InlineData(false, "https://public.example/", null, null)]
    public async Task Hsts_IsSent_OnlyWhenEnabled_AndThePublicUrlIsHttps(bool enabled, string? publicBaseUrl, string? trustedNetwork, string? expected)
    {
        using var app = new BotApp(Settings(
            ("Hsts:Enabled", enabled ? "true" : "false"),
            ("DirectLine:PublicBaseUrl", publicBaseUrl),
            ("ForwardedHeaders:KnownNetworks:0", trustedNetwork)));
        using var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        using var page = await http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(expected, page.Headers.TryGetValues("Strict-Transport-Security", out var values) ? values.Single() : null);
    }

    [Fact]
    public async Task Hsts_WithSubdomains_SaysSo()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["Hsts:Enabled"] = "true",
            ["Hsts:MaxAge"] = "1.00:00:00",
            ["Hsts:IncludeSubDomains"] = "true",
            ["DirectLine:PublicBaseUrl"] = "https://public.example/",
        });
        using var http = app.CreateHttpClient();

        using var session = await http.PostAsync("api/chat/session", null);

        Assert.Equal("max-age=86400; includeSubDomains", session.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task ThePagesPublicOrigin_IsAccepted_WhenPublicBaseUrlNamesIt()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["DirectLine:PublicBaseUrl"] = "https://public.example/chat/" });
        using var http = app.CreateHttpClient();

        using var own = await SessionFromAsync(http, "https://public.example");
        using var foreign = await SessionFromAsync(http, "https://evil.example");
        using var plain = await SessionFromAsync(http, "http://public.example");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
    }

    [Fact]
    public async Task ThePagesPublicOrigin_IsAccepted_WhenATrustedProxyForwardsHttpsAndKeepsTheHost()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks:0"] = LoopbackTrusted });
        using var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        http.DefaultRequestHeaders.Host = "public.example";

        using var own = await SessionFromAsync(http, "https://public.example");
        using var foreign = await SessionFromAsync(http, "https://evil.example");

        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
        var session = (await own.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        Assert.Equal("https://public.example/v3/directline", session["domain"]!.GetValue<string>());
    }

    /// <summary>The settings whose value is given; a null value leaves the key unset.</summary>
    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] settings) =>
        settings.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value);

    private static HttpClient ForwardedFor(BotApp app, string client)
    {
        var http = app.CreateHttpClient();
        http.DefaultRequestHeaders.Add("X-Forwarded-For", client);
        return http;
    }

    private static async Task<HttpResponseMessage> SessionFromAsync(HttpClient http, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/chat/session");
        request.Headers.Add("Origin", origin);
        return await http.SendAsync(request);
    }

    private static string VisitorCookie(HttpResponseMessage response) =>
        Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(WebChat.VisitorCookie.Name + "=", StringComparison.Ordinal));

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
