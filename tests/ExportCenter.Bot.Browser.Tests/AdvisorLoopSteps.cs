using System.Text.RegularExpressions;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Playwright;

namespace ExportCenter.Bot.Browser.Tests;

/// <summary>
/// What the company and the advisor do in their Web Chats (the chat page and /advisors), shared by the tests of the
/// whole loop on one host (<see cref="AdvisorsBrowserTests"/>) and on two instances behind nginx
/// (<see cref="TwoInstancesBehindNginxTests"/>).
/// </summary>
public static partial class AdvisorLoopSteps
{
    public const string SendBox = "[data-id=\"webchat-sendbox-input\"]";

    public static LocatorAssertionsToBeVisibleOptions Visible { get; } = new() { Timeout = 20_000 };

    /// <summary>
    /// Runs axe-core's WCAG 2.1 A and AA rules on the page (the context must bypass the page's CSP to inject it) and
    /// returns its violations, each written to the test's output.
    /// </summary>
    public static async Task<List<System.Text.Json.JsonElement>> AxeAsync(IPage page, Xunit.Abstractions.ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(output);
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = ExportCenter.Testing.NodeModules.File("axe-core/axe.min.js") });
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

    /// <summary>The advisor opens the one-time link, chooses a password (which starts a new sign-in) and has the page's chat.</summary>
    public static async Task SignInWithLinkAndChoosePasswordAsync(IPage advisor, string token)
    {
        ArgumentNullException.ThrowIfNull(advisor);
        await advisor.GotoAsync("/advisors/signin#token=" + token);
        await Assertions.Expect(advisor).ToHaveURLAsync(new Regex("/advisors$"));
        await Assertions.Expect(advisor.Locator("#password-section")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(advisor.Locator(SendBox)).ToBeVisibleAsync(Visible);

        // A new password ends the link's sign-in: the page reloads into a new one and the chat carries on.
        await advisor.Locator("#password").FillAsync("ett lösenord som är långt nog");
        await advisor.Locator("#password-form button[type=submit]").ClickAsync();
        await Assertions.Expect(advisor.Locator("#chat-status")).ToHaveTextAsync(new Regex("Lösenordet är sparat"), new() { Timeout = Visible.Timeout });
        await Assertions.Expect(advisor.Locator("#password-section")).ToBeHiddenAsync(new() { Timeout = Visible.Timeout });
        await Assertions.Expect(advisor.Locator(SendBox)).ToBeVisibleAsync(Visible);
    }

    /// <summary>The company hands off from the menu on the chat page, to the confirmation; returns the ticket's number as shown.</summary>
    public static async Task<string> HandOffFromTheMenuAsync(IPage company)
    {
        ArgumentNullException.ThrowIfNull(company);
        await company.GotoAsync("/");
        await company.Locator("button.ac-pushButton", new() { HasText = BotTexts.Swedish.MenuAdvisor }).First.ClickAsync();
        await ExpectAsync(company, HandoffTexts.Swedish.Consent);
        await ClickAsync(company, "Ja");
        await ExpectAsync(company, HandoffTexts.Swedish.Company);
        await TypeAsync(company, "Ludvika Gjuteri AB");
        await ExpectAsync(company, HandoffTexts.Swedish.OrganisationNumber);
        await ClickAsync(company, "Hoppa över");
        await ExpectAsync(company, HandoffTexts.Swedish.ContactPerson);
        await TypeAsync(company, "Anna Berg");
        await ExpectAsync(company, HandoffTexts.Swedish.Contact);
        await TypeAsync(company, "070-123 45 67");
        await ExpectAsync(company, HandoffTexts.Swedish.Municipality);
        await TypeAsync(company, "Ludvika");
        await ExpectAsync(company, HandoffTexts.Swedish.PreferredLanguage);
        await ClickAsync(company, "Svenska");
        await ExpectAsync(company, "Beskriv kort");
        await TypeAsync(company, "Vi behöver hjälp att finansiera en order till Kanada.");
        await ExpectAsync(company, "Tack! Ditt ärende har nummer EXP-");
        var confirmation = await Bubbles(company, "Tack! Ditt ärende har nummer EXP-").Last.InnerTextAsync();
        return TicketNumber().Match(confirmation).Value;
    }

    /// <summary>
    /// The advisor claims the ticket from its card, replies from the card, gets the company's answer and resolves it; the
    /// company sees each step in its chat.
    /// </summary>
    public static async Task ClaimReplyAndResolveAsync(IPage advisor, IPage company, string number)
    {
        ArgumentNullException.ThrowIfNull(advisor);
        ArgumentNullException.ThrowIfNull(company);
        var card = advisor.Locator(".ac-adaptiveCard", new() { HasText = $"Ärende {number}" });

        // Claim: the company is told who has the case; the card shows it.
        await card.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Ta ärendet$") }).ClickAsync();
        await ExpectAsync(company, $"Exportrådgivare på Region Dalarna har ditt ärende {number}");
        await Assertions.Expect(advisor.Locator(".ac-textBlock", new() { HasText = "Exportrådgivare (Region Dalarna) har ärendet" }).Last).ToBeVisibleAsync(Visible);

        // Reply from the card; the company sees it and answers; the answer reaches the advisor.
        var claimedCard = card.Last;
        await claimedCard.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Svara företaget$") }).ClickAsync();
        await claimedCard.Locator("textarea").FillAsync("Hej Anna! Jag ringer dig i eftermiddag om finansieringen.");
        await claimedCard.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Skicka$") }).ClickAsync();
        await ExpectAsync(company, "Exportrådgivare, Region Dalarna: Hej Anna! Jag ringer dig i eftermiddag om finansieringen.");
        await TypeAsync(company, "Tack, vi är på kontoret hela dagen.");
        await ExpectAsync(advisor, $"{number} · Anna Berg (Ludvika Gjuteri AB): Tack, vi är på kontoret hela dagen.");

        // Resolve: the company is told and the card says who closed it.
        var liveCard = card.Last;
        await liveCard.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Avsluta$") }).ClickAsync();
        await liveCard.Locator("button.ac-pushButton", new() { HasTextRegex = new Regex("^Avsluta ärendet$") }).ClickAsync();
        await ExpectAsync(company, $"Exportrådgivare på Region Dalarna har avslutat ditt ärende {number} (frågan är besvarad).");
        await Assertions.Expect(advisor.Locator(".ac-textBlock", new() { HasText = "Avslutat" }).Last).ToBeVisibleAsync(Visible);
    }

    public static async Task TypeAsync(IPage page, string text)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.Locator(SendBox).FillAsync(text);
        await page.Locator(SendBox).PressAsync("Enter");
    }

    public static Task ClickAsync(IPage page, string button)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Locator(".webchat__suggested-action", new() { HasText = button }).Last.ClickAsync();
    }

    /// <summary>Waits until the last bubble or card text with <paramref name="text"/> is visible.</summary>
    public static Task ExpectAsync(IPage page, string text) =>
        Assertions.Expect(Bubbles(page, text).Last).ToBeVisibleAsync(Visible);

    private static ILocator Bubbles(IPage page, string text)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.Locator(".webchat__bubble__content, .ac-textBlock", new() { HasTextRegex = new Regex(Regex.Escape(text)) });
    }

    [GeneratedRegex(@"EXP-\d{4}-\d{5}")]
    private static partial Regex TicketNumber();
}
