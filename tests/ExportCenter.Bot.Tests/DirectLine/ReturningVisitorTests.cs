using System.Net;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>The visitor cookie gives a returning company its conversation back, within the period.</summary>
public sealed class ReturningVisitorTests : IDisposable
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly BotApp _app;

    public ReturningVisitorTests()
    {
        _app = new BotApp(services: services => services.AddSingleton<TimeProvider>(_clock));
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Session_WithVisitorCookie_NextDay_ResumesTheSameConversationWithItsHistory()
    {
        var cookies = new CookieContainer();
        var first = await new DirectLineClient(_app.CreateHttpClient(cookies)).OpenAsync();
        (await first.PostMessageAsync("Vi vill exportera till Norge")).Dispose();
        _clock.Advance(TimeSpan.FromDays(1));

        var returning = new DirectLineClient(_app.CreateHttpClient(cookies));
        var session = await returning.CreateSessionAsync();

        Assert.Equal(first.ConversationId, returning.ConversationId);
        Assert.True(session["resumed"]!.GetValue<bool>());
        Assert.NotEqual(first.Token, returning.Token);
        var history = await returning.HistoryAsync();
        Assert.Equal(3, history.Count);
        Assert.Equal("Vi vill exportera till Norge", history[1]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task VisitorCookie_IsHttpOnly_AndHoldsNoReadableText()
    {
        using var http = _app.CreateHttpClient();

        using var response = await http.PostAsync("api/chat/session", null);

        var setCookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("ec_visitor=", setCookie, StringComparison.Ordinal);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Session_WithoutCookie_StartsANewConversation()
    {
        var first = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();

        var stranger = new DirectLineClient(_app.CreateHttpClient());
        var session = await stranger.CreateSessionAsync();

        Assert.NotEqual(first.ConversationId, stranger.ConversationId);
        Assert.False(session["resumed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Session_WithForgedCookie_StartsANewConversation()
    {
        var victim = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var cookies = new CookieContainer();
        var payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(
            new JsonObject { ["c"] = victim.ConversationId, ["u"] = "u-guess" }.ToJsonString())).TrimEnd('=');
        cookies.Add(_app.BaseAddress, new Cookie("ec_visitor", payload + ".c2lnbmF0dXJl"));

        var attacker = new DirectLineClient(_app.CreateHttpClient(cookies));
        await attacker.CreateSessionAsync();

        Assert.NotEqual(victim.ConversationId, attacker.ConversationId);
    }

    [Fact]
    public async Task Session_AfterTheReturningPeriod_StartsANewConversation()
    {
        var cookies = new CookieContainer();
        var first = await new DirectLineClient(_app.CreateHttpClient(cookies)).OpenAsync();
        _clock.Advance(TimeSpan.FromDays(31));

        var later = new DirectLineClient(_app.CreateHttpClient(cookies));
        await later.CreateSessionAsync();

        Assert.NotEqual(first.ConversationId, later.ConversationId);
    }

    [Fact]
    public async Task Session_FromAnOriginNotAllowed_Is403_AndFromAnAllowedOne_Works()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["DirectLine:AllowedOrigins:0"] = "https://www.regiondalarna.se" });
        using var http = app.CreateHttpClient();

        using var foreign = new HttpRequestMessage(HttpMethod.Post, "api/chat/session");
        foreign.Headers.Add("Origin", "https://evil.example");
        using var foreignResponse = await http.SendAsync(foreign);
        using var allowed = new HttpRequestMessage(HttpMethod.Post, "api/chat/session");
        allowed.Headers.Add("Origin", "https://www.regiondalarna.se");
        using var allowedResponse = await http.SendAsync(allowed);
        using var preflight = new HttpRequestMessage(HttpMethod.Options, "v3/directline/conversations");
        preflight.Headers.Add("Origin", "https://www.regiondalarna.se");
        preflight.Headers.Add("Access-Control-Request-Method", "POST");
        preflight.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-ms-bot-agent");
        using var preflightResponse = await http.SendAsync(preflight);

        Assert.Equal(HttpStatusCode.Forbidden, foreignResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowedResponse.StatusCode);
        Assert.Equal("https://www.regiondalarna.se", allowedResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("https://www.regiondalarna.se", preflightResponse.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("x-ms-bot-agent", preflightResponse.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
    }
}
