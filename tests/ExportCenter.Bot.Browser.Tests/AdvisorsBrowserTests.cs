using System.Diagnostics;
using System.Text.RegularExpressions;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Browser.Tests;

/// <summary>
/// The whole loop in two real Web Chats in Chromium: the company's chat page and the advisors' page at
/// /advisors. Handoff, the card appears, claim, reply, the company sees it and answers, resolve, the
/// company is told. The outbox worker runs as in production (on the system clock).
/// </summary>
[Collection(BrowserTests.Name)]
public sealed partial class AdvisorsBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private const string SendBox = AdvisorLoopSteps.SendBox;
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = AdvisorLoopSteps.Visible;

    [Fact]
    public async Task CompanyAndAdvisor_FullLoop_InTwoBrowsers()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Sla:Enabled"] = "false" });
        await using var advisorContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });
        await using var companyContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });

        // The advisor signs in with the one-time link (the first start prints one) and opens /advisors.
        var link = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        var advisor = await advisorContext.NewPageAsync();
        await AdvisorLoopSteps.SignInWithLinkAndChoosePasswordAsync(advisor, link!);

        // The company hands off from the menu.
        var company = await companyContext.NewPageAsync();
        var shown = await AdvisorLoopSteps.HandOffFromTheMenuAsync(company);
        // This host runs on the system clock, so the ticket's year is read back, never assumed.
        var (number, createdAt) = await TicketAsync(app);
        Assert.Equal(number, shown);

        // The card appears on the advisors' page.
        var confirmed = Stopwatch.StartNew();
        var card = advisor.Locator(".ac-adaptiveCard", new() { HasText = $"Ärende {number}" });
        await Assertions.Expect(card).ToBeVisibleAsync(Visible);
        var sinceConfirmation = confirmed.Elapsed;
        var sinceCreation = DateTimeOffset.UtcNow - createdAt;
        await Assertions.Expect(card.Locator(".ac-textBlock", new() { HasText = "Ludvika Gjuteri AB" }).First).ToBeVisibleAsync(Visible);

        // Claim, reply, the company's answer, resolve.
        await AdvisorLoopSteps.ClaimReplyAndResolveAsync(advisor, company, number);

        var line = $"ticket created -> card visible on the advisors' page (browser, default 2 s outbox poll, worker woken by the commit): {sinceCreation.TotalMilliseconds:0} ms (from the company's confirmation: {sinceConfirmation.TotalMilliseconds:0} ms)";
        output.WriteLine(line);
        Measurements.Record(line);
    }

    [Fact]
    public async Task LoginPageAndAdvisorsPageWithATicketCard_HaveNoSeriousOrCriticalAccessibilityViolations()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Sla:Enabled"] = "false" });
        // The pages' CSP allows only their own scripts; the test injects axe-core, so this context bypasses it.
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri, BypassCSP = true });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/advisors");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/advisors/login$"));
        var loginViolations = await AdvisorLoopSteps.AxeAsync(page, output);

        var link = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        await page.GotoAsync("/advisors/signin#token=" + link);
        await Assertions.Expect(page.Locator(SendBox)).ToBeVisibleAsync(Visible);
        await ChatSteps.CompleteHandoffAsync(app);
        var (number, _) = await TicketAsync(app);
        await Assertions.Expect(page.Locator(".ac-adaptiveCard", new() { HasText = "Ärende " + number })).ToBeVisibleAsync(Visible);
        var pageViolations = await AdvisorLoopSteps.AxeAsync(page, output);

        Assert.DoesNotContain(loginViolations, v => v.GetProperty("impact").GetString() is "serious" or "critical");
        Assert.DoesNotContain(pageViolations, v => v.GetProperty("impact").GetString() is "serious" or "critical");
    }


    private static async Task<(string Number, DateTimeOffset CreatedAt)> TicketAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.AsNoTracking().Select(t => new { t.Number, t.CreatedAt }).SingleAsync();
        return (ticket.Number, ticket.CreatedAt);
    }
}
