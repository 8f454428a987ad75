using System.Diagnostics;
using System.Text.RegularExpressions;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
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
    private const string SendBox = "[data-id=\"webchat-sendbox-input\"]";
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 20_000 };

    [Fact]
    public async Task CompanyAndAdvisor_FullLoop_InTwoBrowsers()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Sla:Enabled"] = "false" });
        await using var advisorContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });
        await using var companyContext = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });

        // The advisor signs in with the one-time link (the first start prints one) and opens /advisors.
        var link = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        var advisor = await advisorContext.NewPageAsync();
        await advisor.GotoAsync("/advisors/signin#token=" + link);
        await Assertions.Expect(advisor).ToHaveURLAsync(new Regex("/advisors$"));
        await Assertions.Expect(advisor.Locator("#password-section")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(advisor.Locator(SendBox)).ToBeVisibleAsync(Visible);

        // A new password ends the link's sign-in: the page reloads into a new one and the chat carries on.
        await advisor.Locator("#password").FillAsync("ett lösenord som är långt nog");
        await advisor.Locator("#password-form button[type=submit]").ClickAsync();
        await Assertions.Expect(advisor.Locator("#chat-status")).ToHaveTextAsync(new Regex("Lösenordet är sparat"), new() { Timeout = Visible.Timeout });
        await Assertions.Expect(advisor.Locator("#password-section")).ToBeHiddenAsync(new() { Timeout = Visible.Timeout });
        await Assertions.Expect(advisor.Locator(SendBox)).ToBeVisibleAsync(Visible);

        // The company hands off from the menu.
        var company = await companyContext.NewPageAsync();
        await company.GotoAsync("/");
        await company.Locator("button.ac-pushButton", new() { HasText = BotTexts.Swedish.MenuAdvisor }).First.ClickAsync();
        await Expect(company, HandoffTexts.Swedish.Consent);
        await Click(company, "Ja");
        await Expect(company, HandoffTexts.Swedish.Company);
        await Type(company, "Ludvika Gjuteri AB");
        await Expect(company, HandoffTexts.Swedish.OrganisationNumber);
        await Click(company, "Hoppa över");
        await Expect(company, HandoffTexts.Swedish.ContactPerson);
        await Type(company, "Anna Berg");
        await Expect(company, HandoffTexts.Swedish.Contact);
        await Type(company, "070-123 45 67");
        await Expect(company, HandoffTexts.Swedish.Municipality);
        await Type(company, "Ludvika");
        await Expect(company, HandoffTexts.Swedish.PreferredLanguage);
        await Click(company, "Svenska");
        await Expect(company, "Beskriv kort");
        await Type(company, "Vi behöver hjälp att finansiera en order till Kanada.");
        await Expect(company, "Tack! Ditt ärende har nummer EXP-");
        // This host runs on the system clock, so the ticket's year is read back, never assumed.
        var (number, createdAt) = await TicketAsync(app);
        await Expect(company, $"Tack! Ditt ärende har nummer {number}.");

        // The card appears on the advisors' page.
        var confirmed = Stopwatch.StartNew();
        var card = advisor.Locator(".ac-adaptiveCard", new() { HasText = $"Ärende {number}" });
        await Assertions.Expect(card).ToBeVisibleAsync(Visible);
        var sinceConfirmation = confirmed.Elapsed;
        var sinceCreation = DateTimeOffset.UtcNow - createdAt;
        await Assertions.Expect(card.Locator(".ac-textBlock", new() { HasText = "Ludvika Gjuteri AB" }).First).ToBeVisibleAsync(Visible);

        // Claim: the company is told who has the case; the card shows it.
        await card.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Ta ärendet$") }).ClickAsync();
        await Expect(company, $"Exportrådgivare på Region Dalarna har ditt ärende {number}");
        await Assertions.Expect(advisor.Locator(".ac-textBlock", new() { HasText = "Exportrådgivare (Region Dalarna) har ärendet" }).Last).ToBeVisibleAsync(Visible);

        // Reply from the card; the company sees it and answers; the answer reaches the advisor.
        var claimedCard = advisor.Locator(".ac-adaptiveCard", new() { HasText = $"Ärende {number}" }).Last;
        await claimedCard.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Svara företaget$") }).ClickAsync();
        await claimedCard.Locator("textarea").FillAsync("Hej Anna! Jag ringer dig i eftermiddag om finansieringen.");
        await claimedCard.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Skicka$") }).ClickAsync();
        await Expect(company, "Exportrådgivare, Region Dalarna: Hej Anna! Jag ringer dig i eftermiddag om finansieringen.");
        await Type(company, "Tack, vi är på kontoret hela dagen.");
        await Expect(advisor, $"{number} · Anna Berg (Ludvika Gjuteri AB): Tack, vi är på kontoret hela dagen.");

        // Resolve: the company is told and the card says who closed it.
        var liveCard = advisor.Locator(".ac-adaptiveCard", new() { HasText = $"Ärende {number}" }).Last;
        await liveCard.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Avsluta$") }).ClickAsync();
        await liveCard.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Avsluta ärendet$") }).ClickAsync();
        await Expect(company, $"Exportrådgivare på Region Dalarna har avslutat ditt ärende {number} (frågan är besvarad).");
        await Assertions.Expect(advisor.Locator(".ac-textBlock", new() { HasText = "Avslutat" }).Last).ToBeVisibleAsync(Visible);

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
        var loginViolations = await AxeAsync(page);

        var link = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        await page.GotoAsync("/advisors/signin#token=" + link);
        await Assertions.Expect(page.Locator(SendBox)).ToBeVisibleAsync(Visible);
        await ChatSteps.CompleteHandoffAsync(app);
        var (number, _) = await TicketAsync(app);
        await Assertions.Expect(page.Locator(".ac-adaptiveCard", new() { HasText = "Ärende " + number })).ToBeVisibleAsync(Visible);
        var pageViolations = await AxeAsync(page);

        Assert.DoesNotContain(loginViolations, v => v.GetProperty("impact").GetString() is "serious" or "critical");
        Assert.DoesNotContain(pageViolations, v => v.GetProperty("impact").GetString() is "serious" or "critical");
    }

    private async Task<List<System.Text.Json.JsonElement>> AxeAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = NodeModules.File("axe-core/axe.min.js") });
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async () => { const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });" +
            " return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0].target.join(' ') })); }");
        var violations = result.EnumerateArray().ToList();
        foreach (var v in violations)
        {
            output.WriteLine($"axe ({page.Url}): {v}");
        }

        return violations;
    }

    private static async Task<(string Number, DateTimeOffset CreatedAt)> TicketAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.AsNoTracking().Select(t => new { t.Number, t.CreatedAt }).SingleAsync();
        return (ticket.Number, ticket.CreatedAt);
    }

    private static async Task Type(IPage page, string text)
    {
        await page.Locator(SendBox).FillAsync(text);
        await page.Locator(SendBox).PressAsync("Enter");
    }

    private static Task Click(IPage page, string button) =>
        page.Locator(".webchat__suggested-action", new() { HasText = button }).Last.ClickAsync();

    private static Task Expect(IPage page, string text) =>
        Assertions.Expect(page.Locator(".webchat__bubble__content, .ac-textBlock", new() { HasTextRegex = new Regex(Regex.Escape(text)) }).Last).ToBeVisibleAsync(Visible);
}
