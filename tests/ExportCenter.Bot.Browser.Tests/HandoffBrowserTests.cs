using System.Text.RegularExpressions;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExportCenter.Bot.Browser.Tests;

/// <summary>The whole handoff in the real Web Chat: a question, "no" to "did this help?", the handoff, and the status on return.</summary>
[Collection(BrowserTests.Name)]
public sealed partial class HandoffBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private const string SendBox = "[data-id=\"webchat-sendbox-input\"]";
    private static readonly LocatorAssertionsToBeVisibleOptions Visible = new() { Timeout = 15_000 };
    private readonly List<string> _transcript = [];

    [Fact]
    public async Task Swedish_QuestionNotHelped_HandoffCompleted_StatusOnReturn()
    {
        // Friday 14:00 in Stockholm (the shared test clock).
        var clock = TestClock.Create();
        using var app = new BotApp(services: s => s.AddSingleton<TimeProvider>(clock));
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator(".ac-adaptiveCard")).ToBeVisibleAsync(Visible);

        await Type(page, "Vi har fått en stor order från Kanada men banken vill inte förskottera produktionen. Vad gör vi?");
        await Expect(page, BotTexts.Swedish.DidThisHelp);
        await Click(page, "Nej");
        await Expect(page, HandoffTexts.Swedish.Consent);
        await Click(page, "Ja");
        await Expect(page, HandoffTexts.Swedish.Company);
        await Type(page, "Ludvika Gjuteri AB");
        await Expect(page, HandoffTexts.Swedish.OrganisationNumber);
        await Click(page, "Hoppa över");
        await Expect(page, HandoffTexts.Swedish.ContactPerson);
        await Type(page, "Anna Berg");
        await Expect(page, HandoffTexts.Swedish.Contact);
        await Type(page, "anna.berg@gjuteri.se");
        await Expect(page, HandoffTexts.Swedish.Municipality);
        await Type(page, "Ludvika");
        await Expect(page, HandoffTexts.Swedish.ConfirmLanguage);
        await Click(page, "Svenska");
        await Expect(page, "Så här sammanfattar jag din fråga till rådgivaren");
        await Type(page, "ja");
        await Expect(page, $"Tack! Ditt ärende har nummer {TestClock.Ticket(1)}. Almi Företagspartner kontaktar dig senast {TestClock.SwedishDeadline}.");

        // The company comes back (the visitor cookie) and asks about its case.
        await page.ReloadAsync();
        await Expect(page, $"Tack! Ditt ärende har nummer {TestClock.Ticket(1)}.");
        await Type(page, "hur går det med mitt ärende?");
        await Expect(page, $"Ärende {TestClock.Ticket(1)}: mottaget, väntar på en rådgivare. Almi Företagspartner kontaktar dig senast {TestClock.SwedishDeadline}.");

        foreach (var line in _transcript)
        {
            output.WriteLine(line);
        }

        Measurements.Record("handoff transcript (sv, browser):" + Environment.NewLine + string.Join(Environment.NewLine, _transcript));
    }

    [Fact]
    public async Task English_HandoffFromTheMenu_ConfirmedWithNumberAndDeadline()
    {
        var clock = TestClock.Create();
        using var app = new BotApp(services: s => s.AddSingleton<TimeProvider>(clock));
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = app.BaseAddress.AbsoluteUri });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?lang=en");
        await Assertions.Expect(page.Locator(".ac-adaptiveCard .ac-textBlock", new() { HasText = BotTexts.English.WelcomeHeading })).ToBeVisibleAsync(Visible);

        await page.Locator("button.ac-pushButton", new() { HasText = BotTexts.English.MenuAdvisor }).First.ClickAsync();
        await Expect(page, HandoffTexts.English.Consent);
        await Click(page, "Yes");
        await Expect(page, HandoffTexts.English.Company);
        await Type(page, "Falun Design AB");
        await Expect(page, HandoffTexts.English.OrganisationNumber);
        await Type(page, "556036-0793");
        await Expect(page, HandoffTexts.English.ContactPerson);
        await Type(page, "Sara Lind");
        await Expect(page, HandoffTexts.English.Contact);
        await Type(page, "+46 70 123 45 67");
        await Expect(page, HandoffTexts.English.Municipality);
        await Click(page, "Outside Dalarna");
        // The handoff began from the menu, before the company wrote anything: its language is asked, not offered back.
        await Expect(page, HandoffTexts.English.PreferredLanguage);
        await Click(page, "English");
        await Expect(page, "Please describe your question for the advisor briefly.");
        await Type(page, "We want to find a distributor for our lamps in Germany.");
        await Expect(page, $"Thank you! Your case number is {TestClock.Ticket(1)}.");
        await Expect(page, $"will contact you by {TestClock.EnglishDeadline}.");
    }

    private async Task Type(IPage page, string text)
    {
        _transcript.Add("Företaget: " + text);
        await page.Locator(SendBox).FillAsync(text);
        await page.Locator(SendBox).PressAsync("Enter");
    }

    private async Task Click(IPage page, string button)
    {
        _transcript.Add($"Företaget: [{button}]");
        await page.Locator(".webchat__suggested-action", new() { HasText = button }).Last.ClickAsync();
    }

    private async Task Expect(IPage page, string text)
    {
        await Assertions.Expect(page.Locator(".webchat__bubble__content, .ac-textBlock", new() { HasTextRegex = new Regex(Regex.Escape(text)) }).Last).ToBeVisibleAsync(Visible);
        _transcript.Add("Boten: " + text);
    }
}
