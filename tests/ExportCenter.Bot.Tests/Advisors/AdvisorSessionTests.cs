using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// The advisor's access is the page session: sign-out, the end of the session, a new password and a deactivation
/// end the cookie, every page token (refresh, post, poll, stream connect) and the open streams. Password sign-ins
/// are limited per login and per address, the same for a login that does not exist.
/// </summary>
public sealed class AdvisorSessionTests
{
    private const string Password = "lång nog för rådgivare";
    private static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _clock = new(TestClock.FridayAfternoon);

    [Fact]
    public async Task SignOut_EndsThePageTokens_AndACopiedCookie()
    {
        using var app = App();
        var cookies = new CookieContainer();
        using var http = app.CreateHttpClient(cookies);
        var token = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        (await http.PostAsync("advisors/signin", JsonContent.Create(new { token }))).Dispose();
        var page = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, (0, http));
        var copied = new CookieContainer();
        copied.Add(cookies.GetCookies(app.BaseAddress));
        Assert.NotEmpty(copied.GetCookies(app.BaseAddress));

        using var logout = await http.PostAsync("advisors/logout", null);

        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        await AssertTokenRefusedEverywhereAsync(page);
        using var replay = app.CreateHttpClient(copied);
        using var session = await replay.PostAsync("api/advisors/session", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
    }

    [Fact]
    public async Task RefreshingThePageToken_StopsWhenTheSessionEnds()
    {
        using var app = App();
        var advisor = await LocalAdvisorLoopTests.SignedInAdvisorAsync(app);
        var page = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, advisor);

        // Web Chat refreshes well before each token expires; 12 hours of that must not outlive the session.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromHours(12) - TimeSpan.FromMinutes(20); elapsed += TimeSpan.FromMinutes(20))
        {
            _clock.Advance(TimeSpan.FromMinutes(20));
            using var refreshed = await page.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);
            Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
            var body = (await refreshed.Content.ReadFromJsonAsync<JsonObject>())!;
            page.Token = body["token"]!.GetValue<string>();
            Assert.True(body["expires_in"]!.GetValue<int>() <= (TimeSpan.FromHours(12) - elapsed - TimeSpan.FromMinutes(20)).TotalSeconds + 1);
        }

        _clock.Advance(TimeSpan.FromMinutes(21));
        using var afterEnd = await page.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);
        Assert.NotEqual(HttpStatusCode.OK, afterEnd.StatusCode);
        using var session = await advisor.Http.PostAsync("api/advisors/session", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
    }

    [Fact]
    public async Task ANewPassword_EndsEveryOtherSignIn_AndThisBrowserGetsANewOne()
    {
        using var app = App();
        var phone = await LocalAdvisorLoopTests.SignedInAdvisorAsync(app);
        var phonePage = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, phone);
        var desk = await LocalAdvisorLoopTests.SignedInAdvisorAsync(app);
        var deskPage = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, desk);

        using var set = await desk.Http.PostAsync("advisors/password", JsonContent.Create(new { password = Password }));

        Assert.Equal(HttpStatusCode.NoContent, set.StatusCode);
        await AssertTokenRefusedEverywhereAsync(phonePage);
        await AssertTokenRefusedEverywhereAsync(deskPage);
        using var phoneSession = await phone.Http.PostAsync("api/advisors/session", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.Unauthorized, phoneSession.StatusCode);
        var renewed = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, desk);
        using var read = await renewed.GetActivitiesAsync();
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task DeactivatingTheAdvisor_EndsTheCookie_AndTheSessionStaysEndedAfterReactivation()
    {
        using var app = App();
        var advisor = await LocalAdvisorLoopTests.SignedInAdvisorAsync(app);
        var page = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, advisor);

        Assert.True(await app.Services.GetRequiredService<AdvisorDirectory>().DeactivateAsync("radgivare", CancellationToken.None));
        await AssertTokenRefusedEverywhereAsync(page);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            await db.Advisors.Where(a => a.Id == advisor.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Active, true));
        }

        using var session = await advisor.Http.PostAsync("api/advisors/session", JsonContent.Create(new { }));
        Assert.Equal(HttpStatusCode.Unauthorized, session.StatusCode);
        using var refresh = await page.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);
        Assert.Equal(HttpStatusCode.Forbidden, refresh.StatusCode);
    }

    [Fact]
    public async Task AnOpenStream_ClosesAtOnce_WhenTheAdvisorSignsOut()
    {
        using var app = App();
        var advisor = await LocalAdvisorLoopTests.SignedInAdvisorAsync(app);
        var page = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, advisor);
        using var socket = await ConnectAsync(page.StreamUrl!);

        using var logout = await advisor.Http.PostAsync("advisors/logout", null);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await ReceiveUntilCloseAsync(socket));
        using var again = new ClientWebSocket();
        again.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => again.ConnectAsync(new Uri(page.StreamUrl!), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, again.HttpStatusCode);
    }

    [Fact]
    public async Task AnOpenStream_ClosesAtTheNextKeepAlive_WhenTheSessionEndsElsewhere()
    {
        using var app = App();
        var advisor = await LocalAdvisorLoopTests.SignedInAdvisorAsync(app);
        var page = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, advisor);
        using var socket = await ConnectAsync(page.StreamUrl!);

        // The deactivate command runs in its own process, and a second instance has its own streams: only the database says so.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            await db.AdvisorSessions.ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, _clock.GetUtcNow()));
        }

        var closed = ReceiveUntilCloseAsync(socket);
        for (var advanced = 0; !closed.IsCompleted; advanced++)
        {
            Assert.True(advanced < 200, "The stream stayed open while the clock was advanced 200 times by 16 s.");
            _clock.Advance(TimeSpan.FromSeconds(16));
            await Task.WhenAny(closed, Task.Delay(50));
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await closed);
    }

    [Theory]
    [InlineData("radgivare")]
    [InlineData("finns-inte")]
    public async Task FailedSignIns_LockTheLogin_ForExistingAndUnknownLoginsAlike(string login)
    {
        using var app = App();
        await SetPasswordAsync(app);
        using var http = app.CreateHttpClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var wrong = await http.PostAsync("advisors/login", JsonContent.Create(new { login, password = "fel lösenord " + i }));
            answers.Add(wrong.StatusCode);
        }

        using var right = await http.PostAsync("advisors/login", JsonContent.Create(new { login, password = Password }));

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests], answers);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.InRange(right.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
        _clock.Advance(TimeSpan.FromMinutes(15));
        using var later = await http.PostAsync("advisors/login", JsonContent.Create(new { login, password = Password }));
        Assert.Equal(login == "radgivare" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, later.StatusCode);
    }

    [Fact]
    public async Task FailedSignIns_FromOneAddress_LockEveryLoginFromThere()
    {
        using var app = App(new() { ["Advisors:SignIn:FailuresPerAddress"] = "8" });
        await SetPasswordAsync(app);
        using var http = app.CreateHttpClient();

        for (var i = 0; i < 8; i++)
        {
            using var wrong = await http.PostAsync("advisors/login", JsonContent.Create(new { login = "gissning-" + i, password = "fel lösenord" }));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await http.PostAsync("advisors/login", JsonContent.Create(new { login = "radgivare", password = Password }));
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task ASuccessfulSignIn_ClearsTheLoginsCount()
    {
        using var app = App();
        await SetPasswordAsync(app);
        using var http = app.CreateHttpClient();

        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                (await http.PostAsync("advisors/login", JsonContent.Create(new { login = "radgivare", password = "fel lösenord" }))).Dispose();
            }

            using var right = await http.PostAsync("advisors/login", JsonContent.Create(new { login = "radgivare", password = Password }));
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }
    }

    [Theory]
    [InlineData("radgivare", "fel lösenord")]
    [InlineData("finns-inte", "fel lösenord")]
    [InlineData("utan-losenord", "fel lösenord")]
    public async Task EveryFailedSignIn_CostsOnePasswordCheck_WhetherOrNotTheLoginExists(string login, string password)
    {
        var hasher = new CountingHasher();
        using var app = App(
            new() { ["Advisors:Directory:0:Name"] = "Utan Lösenord", ["Advisors:Directory:0:OrganisationId"] = "almi", ["Advisors:Directory:0:LocalLogin"] = "utan-losenord", ["Advisors:Directory:1:Name"] = "Rådgivare", ["Advisors:Directory:1:OrganisationId"] = "region-dalarna", ["Advisors:Directory:1:LocalLogin"] = "radgivare" },
            hasher);
        await SetPasswordAsync(app);
        using var http = app.CreateHttpClient();
        hasher.Verifications = 0;

        using var response = await http.PostAsync("advisors/login", JsonContent.Create(new { login, password }));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(1, hasher.Verifications);
    }

    private BotApp App(Dictionary<string, string?>? settings = null, IPasswordHasher<Advisor>? hasher = null) => new(
        new Dictionary<string, string?>(settings ?? []) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" },
        s =>
        {
            s.AddSingleton<TimeProvider>(_clock);
            if (hasher is not null)
            {
                s.AddSingleton(hasher);
            }
        });

    private static async Task SetPasswordAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var id = (await db.Advisors.SingleAsync(a => a.LocalLogin == "radgivare")).Id;
        Assert.NotNull(await app.Services.GetRequiredService<AdvisorDirectory>().SetPasswordAsync(id, Password, CancellationToken.None));
    }

    private static async Task AssertTokenRefusedEverywhereAsync(DirectLineClient page)
    {
        using var refresh = await page.SendAsync(HttpMethod.Post, "v3/directline/tokens/refresh", null);
        using var post = await page.PostMessageAsync("hej", "after-end");
        using var read = await page.GetActivitiesAsync();
        using var reconnect = await page.SendAsync(HttpMethod.Get, $"v3/directline/conversations/{page.ConversationId}", null);
        Assert.Equal(
            [HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden],
            new[] { refresh.StatusCode, post.StatusCode, read.StatusCode, reconnect.StatusCode });
    }

    private static async Task<ClientWebSocket> ConnectAsync(string streamUrl)
    {
        var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(FrameTimeout);
        await socket.ConnectAsync(new Uri(streamUrl), timeout.Token);
        return socket;
    }

    /// <summary>Reads frames until the server closes the stream; returns the close status.</summary>
    private static async Task<WebSocketCloseStatus?> ReceiveUntilCloseAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(FrameTimeout);
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return result.CloseStatus;
            }
        }
    }

    /// <summary>The real hasher, counting how often a password is checked.</summary>
    private sealed class CountingHasher : IPasswordHasher<Advisor>
    {
        private readonly PasswordHasher<Advisor> _inner = new();

        public int Verifications { get; set; }

        public string HashPassword(Advisor user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Advisor user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
