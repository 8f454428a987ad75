using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Browser.Tests;

/// <summary>
/// The chat page with the real Web Chat bundle in real (headless) Chromium against the running host, in
/// WebSocket and in polling mode.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class ChatPageTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private const string SendBox = "[data-id=\"webchat-sendbox-input\"]";
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 15_000 };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Chat_WelcomesAnswersAndTakesCardButtons_AndKeepsTheConversationOnReload(bool webSocket)
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["DirectLine:WebSocket"] = webSocket ? "true" : "false" });
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });
        var page = await context.NewPageAsync();
        var consoleErrors = CollectConsoleErrors(page);

        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".ac-adaptiveCard .ac-textBlock", new() { HasText = BotTexts.Swedish.WelcomeHeading })).ToBeVisibleAsync(Visible);

        var knowledge = app.Services.GetRequiredService<KnowledgeBase>();
        var stopwatch = Stopwatch.StartNew();
        await page.Locator(SendBox).FillAsync("Hej");
        await page.Locator(SendBox).PressAsync("Enter");
        await Assertions.Expect(CardText(page, BotTexts.Swedish.SmalltalkReply)).ToBeVisibleAsync(Visible);
        stopwatch.Stop();
        Report($"send-to-rendered-reply ms ({(webSocket ? "websocket" : "polling 1 s")}): {stopwatch.ElapsedMilliseconds}");

        // A real question gets the curated answer with the right organisation first.
        await page.Locator(SendBox).FillAsync("Hur skaffar vi ett EORI-nummer för att kunna exportera till Norge?");
        await page.Locator(SendBox).PressAsync("Enter");
        await Assertions.Expect(CardText(page, knowledge.TopicsById["customs-eori"].Title.Sv)).ToBeVisibleAsync(Visible);
        await Assertions.Expect(CardText(page, knowledge.OrganisationsById["tullverket"].Name.Sv)).ToBeVisibleAsync(Visible);

        // A card button delivers its value to the bot.
        await page.Locator("button.ac-pushButton", new() { HasText = BotTexts.Swedish.MenuFinance }).First.ClickAsync();
        var financeTitle = knowledge.TopicsById["export-finance"].Title.Sv;
        await Assertions.Expect(CardText(page, financeTitle)).ToBeVisibleAsync(Visible);
        var button = app.TurnsReceived.Single(a => a.Value is not null);
        Assert.Equal("finance", Newtonsoft.Json.Linq.JObject.FromObject(button.Value)["choice"]?.ToString());

        await page.ReloadAsync();
        await Assertions.Expect(CardText(page, BotTexts.Swedish.SmalltalkReply)).ToBeVisibleAsync(Visible);
        await Assertions.Expect(CardText(page, financeTitle)).ToBeVisibleAsync(Visible);
        await Assertions.Expect(Bubble(page, "Hur skaffar vi ett EORI-nummer för att kunna exportera till Norge?")).ToBeVisibleAsync(Visible);
        await Assertions.Expect(page.Locator(".ac-adaptiveCard .ac-textBlock", new() { HasText = BotTexts.Swedish.WelcomeHeading })).ToHaveCountAsync(1);
        Assert.Empty(consoleErrors);
    }

    [Fact]
    public async Task LanguageSwitch_TurnsThePageAndTheBotsRepliesToEnglish()
    {
        using var app = new BotApp();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".ac-adaptiveCard")).ToBeVisibleAsync(Visible);

        await page.GetByRole(AriaRole.Button, new() { Name = "Switch the chat to English" }).ClickAsync();
        await page.Locator(SendBox).FillAsync("Our sawmill wants to sell to Germany. Do we charge Swedish VAT on the invoice to a German company?");
        await page.Locator(SendBox).PressAsync("Enter");

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Dalarna Regional Export Centre");
        Assert.Equal("en", await page.EvaluateAsync<string>("document.documentElement.lang"));
        var knowledge = app.Services.GetRequiredService<KnowledgeBase>();
        await Assertions.Expect(CardText(page, knowledge.TopicsById["vat-goods"].Title.En)).ToBeVisibleAsync(Visible);
        await Assertions.Expect(CardText(page, knowledge.OrganisationsById["skatteverket"].Name.En)).ToBeVisibleAsync(Visible);
    }

    [Fact]
    public async Task EveryBotMessage_CarriesItsOwnLanguage_WhateverThePageLanguage()
    {
        using var app = new BotApp();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".ac-adaptiveCard .ac-textBlock", new() { HasText = BotTexts.Swedish.WelcomeHeading })).ToBeVisibleAsync(Visible);
        var knowledge = app.Services.GetRequiredService<KnowledgeBase>();

        // An English writer on the Swedish page, then a German one (the notice in German, the answer in English).
        await page.Locator(SendBox).FillAsync("Our sawmill wants to sell to Germany. Do we charge Swedish VAT on the invoice to a German company?");
        await page.Locator(SendBox).PressAsync("Enter");
        await Assertions.Expect(CardText(page, knowledge.TopicsById["vat-goods"].Title.En)).ToBeVisibleAsync(Visible);
        await page.Locator(SendBox).FillAsync("Wir verkaufen Holzhäuser nach Norwegen. Welche Zollpapiere brauchen wir für die Ausfuhr?");
        await page.Locator(SendBox).PressAsync("Enter");
        await Assertions.Expect(CardText(page, "Wir antworten auf Englisch oder Schwedisch")).ToBeVisibleAsync(Visible);

        async Task<string?> LanguageOf(string text) =>
            await CardText(page, text).EvaluateAsync<string?>("e => e.closest('[lang]').getAttribute('lang')");
        Assert.Equal("sv", (await LanguageOf(BotTexts.Swedish.WelcomeHeading))?[..2]);
        Assert.Equal("en", (await LanguageOf(knowledge.TopicsById["vat-goods"].Title.En))?[..2]);
        Assert.Equal("de", (await LanguageOf("Wir antworten auf Englisch oder Schwedisch"))?[..2]);
        Assert.Equal("sv", await page.EvaluateAsync<string>("document.documentElement.lang"));
    }

    [Fact]
    public async Task Page_HasNoSeriousOrCriticalAccessibilityViolations()
    {
        using var app = new BotApp();
        // The page's CSP allows only its own scripts; the test injects axe-core, so this context bypasses it.
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri, BypassCSP = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".ac-adaptiveCard")).ToBeVisibleAsync(Visible);
        await page.Locator(SendBox).FillAsync("Hej");
        await page.Locator(SendBox).PressAsync("Enter");
        await Assertions.Expect(CardText(page, BotTexts.Swedish.SmalltalkReply)).ToBeVisibleAsync(Visible);

        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = NodeModules.File("axe-core/axe.min.js") });
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => { const r = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });" +
            " return r.violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0].target.join(' ') })); }");

        var violations = result.EnumerateArray().ToList();
        foreach (var v in violations)
        {
            output.WriteLine($"axe: {v}");
        }

        Assert.DoesNotContain(violations, v => v.GetProperty("impact").GetString() is "serious" or "critical");
    }

    [Fact]
    public async Task Page_OnAPhone_FitsTheScreenAndCanBeUsedWithTheKeyboardAlone()
    {
        using var app = new BotApp();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = 360, Height = 740 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".ac-adaptiveCard")).ToBeVisibleAsync(Visible);

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "The page scrolls sideways on a phone.");
        await Assertions.Expect(page.Locator(SendBox)).ToBeInViewportAsync();

        // Keyboard only: the skip link leads to the chat; tabbing reaches the send box.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator(".skip-link")).ToBeFocusedAsync();
        for (var tabs = 0; !await page.Locator(SendBox).EvaluateAsync<bool>("e => e === document.activeElement"); tabs++)
        {
            Assert.True(tabs < 40, "40 presses of Tab after the skip link did not reach the send box.");
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.TypeAsync("Hej!");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(CardText(page, BotTexts.Swedish.SmalltalkReply)).ToBeVisibleAsync(Visible);
    }

    [Fact]
    public async Task Answers_OnAPhone390PixelsWide_StartOnTheScreen_AndShowEveryButtonLabelWhole()
    {
        using var app = new BotApp();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseAddress.AbsoluteUri,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".ac-adaptiveCard .ac-textBlock", new() { HasText = BotTexts.Swedish.WelcomeHeading })).ToBeVisibleAsync(Visible);
        var knowledge = app.Services.GetRequiredService<KnowledgeBase>();

        // A clarification whose buttons are whole topic titles, then an answer with links ("Region Dalarna – stöd till företag").
        foreach (var (question, heading) in new[]
        {
            ("och vad kostar det?", BotTexts.Swedish.ClarifyIntro),
            ("Hur kommer vi igång med export? Vi har aldrig sålt utomlands.", knowledge.TopicsById["export-start"].Title.Sv),
        })
        {
            await page.Locator(SendBox).FillAsync(question);
            await page.Locator(SendBox).PressAsync("Enter");
            var shown = CardText(page, heading);
            await Assertions.Expect(shown).ToBeVisibleAsync(Visible);
            await Assertions.Expect(shown).ToBeInViewportAsync(new() { Timeout = 5_000 });
        }

        var cut = await page.EvaluateAsync<string[]>(
            "() => [...document.querySelectorAll('.ac-adaptiveCard button.ac-pushButton')]" +
            ".filter(b => { const label = b.firstElementChild || b; const box = b.getBoundingClientRect();" +
            " return label.scrollWidth > label.clientWidth + 1 || box.right > window.innerWidth + 1; })" +
            ".map(b => b.textContent)");
        var all = await page.Locator(".ac-adaptiveCard button.ac-pushButton").CountAsync();
        output.WriteLine($"{all} card buttons at 390 px; cut off: {string.Join(" | ", cut)}");
        Assert.True(all >= 5, $"Only {all} card buttons were rendered.");
        Assert.Empty(cut);
    }

    /// <summary>A text block of an Adaptive Card in the transcript.</summary>
    private static ILocator CardText(IPage page, string text) =>
        page.Locator(".ac-adaptiveCard .ac-textBlock", new() { HasText = text }).First;

    /// <summary>A message bubble in the transcript with the given text (Web Chat also repeats it in hidden labels).</summary>
    private static ILocator Bubble(IPage page, string text) =>
        page.Locator(".webchat__bubble__content", new() { HasText = text }).First;

    private static List<string> CollectConsoleErrors(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Measurements.Record(line);
    }
}
