using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using ExportCenter.Bot.Testing;
using ExportCenter.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Browser.Tests;

/// <summary>
/// Scale-out as it runs in production: two bot processes on one PostgreSQL database behind Debian's nginx (round-robin
/// per request, the WebSocket upgrade passed on, forwarded headers from a trusted proxy), and the whole loop in Chromium
/// on nginx's URL. Web Chat streams over the WebSocket on both pages, so an activity stored through one instance must
/// reach a stream held open by the other. Each instance has a HOME of its own, as on a machine of its own, so the
/// advisors' sign-in cookie made by one must be readable by the other without a key folder they happen to share.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class TwoInstancesBehindNginxTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [Fact]
    public async Task HandoffClaimReplyAndResolve_ThroughNginxInFrontOfTwoInstances_ReachBothSides_WhicheverInstanceServedThem()
    {
        var took = Stopwatch.StartNew();
        using var database = TestDatabase.Create("postgres");
        var proxyPort = LoopbackPorts.Free();
        var settings = new Dictionary<string, string?>(database.Settings)
        {
            ["Storage:Provider"] = "PostgreSQL",
            ["DirectLine:PublicBaseUrl"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{proxyPort}/"),
            ["DirectLine:WebSocket"] = "true",
            ["ForwardedHeaders:KnownNetworks:0"] = "127.0.0.0/8",
            ["Sla:Enabled"] = "false",
            ["Retention:Enabled"] = "false",
        };

        // One after the other: the first applies the migrations to the new database.
        await using var first = await BotProcess.StartAsync("instance A", settings, ownHome: true);
        await using var second = await BotProcess.StartAsync("instance B", settings, ownHome: true);
        await using var nginx = await NginxProxy.StartAsync(proxyPort, [first.BaseAddress, second.BaseAddress]);
        var started = took.Elapsed;

        // Each start prints a new one-time link while nobody can sign in; the second start's replaced the first's.
        var token = SignInLink().Matches(second.ReadOutput()).Last().Groups["token"].Value;
        await using (var advisorContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = nginx.BaseAddress.AbsoluteUri }))
        await using (var companyContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = nginx.BaseAddress.AbsoluteUri }))
        {
            var advisor = await advisorContext.NewPageAsync();
            await AdvisorLoopSteps.SignInWithLinkAndChoosePasswordAsync(advisor, token);

            var company = await companyContext.NewPageAsync();
            var number = await AdvisorLoopSteps.HandOffFromTheMenuAsync(company);

            var card = advisor.Locator(".ac-adaptiveCard", new() { HasText = $"Ärende {number}" });
            await Assertions.Expect(card).ToBeVisibleAsync(AdvisorLoopSteps.Visible);
            await Assertions.Expect(card.Locator(".ac-textBlock", new() { HasText = "Ludvika Gjuteri AB" }).First).ToBeVisibleAsync(AdvisorLoopSteps.Visible);
            await AdvisorLoopSteps.ClaimReplyAndResolveAsync(advisor, company, number);
        }

        // Both instances took the chats' activities, and every stream went through nginx as a WebSocket (101). nginx
        // writes a stream's line when it closes, which the closed browser contexts above began.
        var instances = new[] { first, second }.Select(i => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{i.Port}")).ToList();
        var log = await AccessLogWithStreamsClosedAsync(nginx);
        var posts = log.Where(r => r.Method == "POST" && r.Path.StartsWith("/v3/directline/conversations/", StringComparison.Ordinal) && r.Path.EndsWith("/activities", StringComparison.Ordinal)).ToList();
        Assert.All(posts, p => Assert.Equal(200, p.Status));
        Assert.All(instances, instance => Assert.Contains(posts, p => p.Upstream == instance));
        var streams = log.Where(r => r.Path.EndsWith("/stream", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(streams);
        Assert.All(streams, s => Assert.Equal(101, s.Status));

        var line = string.Create(CultureInfo.InvariantCulture, $"two instances behind nginx (WebSocket streams), the whole loop in Chromium: {posts.Count} activities posted ({string.Join(", ", instances.Select(i => $"{posts.Count(p => p.Upstream == i)} through {i}"))}), {streams.Count} streams; {started.TotalSeconds:0.0} s to start both instances and nginx, {took.Elapsed.TotalSeconds:0.0} s in all");
        output.WriteLine(line);
        Measurements.Record(line);
    }

    /// <summary>The access log once every stream the pages opened has its line (nginx writes it when the socket closes).</summary>
    private static async Task<IReadOnlyList<ProxiedRequest>> AccessLogWithStreamsClosedAsync(NginxProxy nginx)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var log = nginx.ReadAccessLog();
            var opened = log.Count(r => r.Method == "GET" && r.Path.StartsWith("/v3/directline/conversations/", StringComparison.Ordinal) && r.Path.EndsWith("/stream", StringComparison.Ordinal));
            if (opened > 0 || deadline.Elapsed > TimeSpan.FromSeconds(30))
            {
                return log;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    [GeneratedRegex(@"/advisors/signin#token=(?<token>[A-Za-z0-9_\-]+)")]
    private static partial Regex SignInLink();
}
