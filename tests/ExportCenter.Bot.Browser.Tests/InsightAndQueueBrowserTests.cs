using System.Text.RegularExpressions;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Insight;
using ExportCenter.Bot.Testing;
using ExportCenter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Browser.Tests;

/// <summary>
/// The coordinators' insight page and the advisors' queue in Chromium: keyboard only, axe clean (no serious or critical
/// WCAG 2.1 A/AA violation), with a real ticket from a real chat. With EXPORTCENTER_SCREENSHOTS set to a folder, the test
/// also saves the screenshots the README shows.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class InsightAndQueueBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = AdvisorLoopSteps.Visible;

    [Fact]
    public async Task QueueAndInsight_WorkByKeyboard_AndHaveNoSeriousOrCriticalAccessibilityViolations()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Sla:Enabled"] = "false" });
        await ChatSteps.CompleteHandoffAsync(app);
        using (var chat = new HttpClient())
        {
            // A question the bot cannot answer, for the insight page's last section.
            var company = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
            using var response = await company.PostMessageAsync("Vilken fotbollsklubb vann allsvenskan förra året?", "oos-1");
        }

        await app.Services.GetRequiredService<AnswerRecordBuffer>().FlushAsync();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri, BypassCSP = true, ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => output.WriteLine($"console: {message.Text}");
        page.PageError += (_, error) => output.WriteLine($"page error: {error}");
        var link = await app.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        await page.GotoAsync("/advisors/signin#token=" + link);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/advisors$"));

        // The queue: the ticket is listed; Tab from the filter's button reaches it, Enter opens it.
        await page.GotoAsync("/advisors/queue");
        var open = page.GetByRole(AriaRole.Button, new() { Name = "Öppna ärende " });
        await Assertions.Expect(open).ToBeVisibleAsync(Visible);
        var number = (await open.TextContentAsync())!;
        Assert.Matches(@"^EXP-\d{4}-00001$", number);
        await page.Locator("#filters button[type=submit]").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Öppna ärende " + number, await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('aria-label')"));
        await page.Keyboard.PressAsync("Enter");
        var detail = page.Locator("#detail");
        await Assertions.Expect(detail).ToBeVisibleAsync(Visible);
        await Assertions.Expect(detail).ToBeFocusedAsync();
        await Assertions.Expect(detail.Locator(".ac-adaptiveCard", new() { HasText = "Ludvika Gjuteri AB" })).ToBeVisibleAsync(Visible);
        await Assertions.Expect(detail.Locator("#audit tr")).ToHaveCountAsync(2);
        await Assertions.Expect(detail.Locator("#audit tr").Nth(1)).ToContainTextAsync("Bad om en person");
        await Screenshot(page, "queue.png");
        AssertClean(await AdvisorLoopSteps.AxeAsync(page, output));

        // "Tillbaka till listan" by keyboard returns the focus to the ticket's button.
        await page.Locator("#close").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(detail).ToBeHiddenAsync();
        await Assertions.Expect(open).ToBeFocusedAsync();

        // The filter by state, by keyboard: claimed tickets only, of which there are none.
        await page.Locator("#state").FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Locator("#filters button[type=submit]").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync("Inga ärenden med det urvalet.");

        // Insight: today's figures, drawn and tabled, with their downloads.
        await page.GotoAsync("/advisors/insight");
        await Assertions.Expect(page.Locator("#status")).ToHaveTextAsync(new Regex("^Visar "), new() { Timeout = Visible.Timeout });
        var overview = page.Locator("#overview-heading + table");
        await Assertions.Expect(overview.Locator("tr", new() { HasText = "Samtal" }).Locator("td")).ToHaveTextAsync("2");
        await Assertions.Expect(overview.Locator("tr", new() { HasText = "Nya ärenden" }).Locator("td")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("section[aria-labelledby=answers-heading] svg rect").First).ToBeVisibleAsync(Visible);
        await Assertions.Expect(page.Locator("section[aria-labelledby=unanswered-heading]")).ToContainTextAsync("allsvenskan");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Föreslå grupp 1 som exempelfraser (CSV)" })).ToBeVisibleAsync(Visible);
        await Screenshot(page, "insight.png");
        AssertClean(await AdvisorLoopSteps.AxeAsync(page, output));

        // The period is chosen by keyboard too.
        await page.Locator("#from").FocusAsync();
        await page.Locator("#to").PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$"));
    }

    private static async Task Screenshot(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("EXPORTCENTER_SCREENSHOTS");
        if (!string.IsNullOrEmpty(folder))
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name), FullPage = true });
        }
    }

    private static void AssertClean(List<System.Text.Json.JsonElement> violations) =>
        Assert.DoesNotContain(violations, v => v.GetProperty("impact").GetString() is "serious" or "critical");

}
