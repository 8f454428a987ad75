using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Tickets;

/// <summary>
/// The limits on new tickets (Tickets:Limits), over the real channel and database, with small limits: past a
/// limit the company is told plainly and no ticket and no email is made; past the day's emails the ticket is made
/// without one; many tickets with one email address are flagged for the advisors.
/// </summary>
public sealed class TicketLimitTests
{
    // The company's plain reply when a limit is reached (HandoffTexts.LimitReached), as it reads it.
    private const string SwedishLimitReply = "Ärendet kunde inte registreras just nu. Kontakta organisationerna direkt:";
    private const string EnglishLimitReply = "The case could not be registered right now. Please contact the organisations directly:";

    private readonly FakeTimeProvider _clock = TestClock.Create();

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TicketsPerClientPerHour_Reached_GivesThePlainReply_AndMakesNoTicketAndNoEmail(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database, ("TicketsPerClientPerHour", "1"));
        await ChatSteps.CompleteHandoffAsync(app);

        var refused = await HandoffAsync(app, Swedish("eva@bryggeri.se"));

        Assert.Contains(SwedishLimitReply, refused, StringComparison.Ordinal);
        Assert.DoesNotContain("ärende har nummer", refused, StringComparison.Ordinal);
        Assert.Equal((1, 1), await TicketsAndEmailsAsync(app));

        // The limit counts the last hour: later the same client can hand a case over again.
        _clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Contains("Tack! Ditt ärende har nummer", await HandoffAsync(app, Swedish("eva@bryggeri.se")), StringComparison.Ordinal);
        Assert.Equal((2, 2), await TicketsAndEmailsAsync(app));
    }

    [Fact]
    public async Task TicketsPerEmailPerDay_Reached_GivesThePlainReplyInEnglish_AndMakesNoTicketAndNoEmail()
    {
        using var app = App(null, ("TicketsPerEmailPerDay", "1"), ("FlagTicketsPerEmail", "5"));
        await ChatSteps.CompleteHandoffAsync(app);

        var refused = await HandoffAsync(app, English("anna.berg@gjuteri.se"), "en-GB");

        Assert.Contains(EnglishLimitReply, refused, StringComparison.Ordinal);
        Assert.DoesNotContain("Your case number is", refused, StringComparison.Ordinal);
        Assert.Equal((1, 1), await TicketsAndEmailsAsync(app));
    }

    [Fact]
    public async Task TicketsPerEmailPerDay_CountsOnlyThatAddress()
    {
        using var app = App(null, ("TicketsPerEmailPerDay", "1"), ("FlagTicketsPerEmail", "5"));
        await ChatSteps.CompleteHandoffAsync(app);

        Assert.Contains("Thank you! Your case number is", await HandoffAsync(app, English("eva@bryggeri.se"), "en-GB"), StringComparison.Ordinal);
        Assert.Equal((2, 2), await TicketsAndEmailsAsync(app));
    }

    [Fact]
    public async Task ConfirmationEmailsPerDay_Reached_MakesTheTicket_ButSendsNoEmail()
    {
        using var app = App(null, ("ConfirmationEmailsPerDay", "1"));
        await ChatSteps.CompleteHandoffAsync(app);

        var confirmed = await HandoffAsync(app, Swedish("eva@bryggeri.se"));

        Assert.Contains($"Tack! Ditt ärende har nummer {TestClock.Ticket(2)}.", confirmed, StringComparison.Ordinal);
        Assert.Equal((2, 1), await TicketsAndEmailsAsync(app));
        await ChatSteps.DrainOutboxAsync(app);
        Assert.Single(Directory.GetFiles(app.MailFolder, "*.eml"));
    }

    [Fact]
    public async Task ManyTicketsWithOneEmail_InAShortTime_AreFlaggedForTheAdvisors_AndStillMade()
    {
        using var app = App(null, ("FlagTicketsPerEmail", "2"), ("FlagWindow", "01:00:00"));
        await ChatSteps.CompleteHandoffAsync(app);

        Assert.Contains("Tack! Ditt ärende har nummer", await HandoffAsync(app, Swedish("anna.berg@gjuteri.se")), StringComparison.Ordinal);

        Assert.Equal((2, 2), await TicketsAndEmailsAsync(app));
        var (first, firstCard) = await HistoryAndCardAsync(app, TestClock.Ticket(1));
        var (second, secondCard) = await HistoryAndCardAsync(app, TestClock.Ticket(2));
        Assert.DoesNotContain("flagged", first);
        Assert.Contains("flagged", second);
        Assert.DoesNotContain("Flaggat", firstCard, StringComparison.Ordinal);
        Assert.Contains("Obs! Flaggat: många ärenden med samma e-postadress på kort tid.", secondCard, StringComparison.Ordinal);
    }

    private BotApp App(TestDatabase? database, params (string Key, string Value)[] limits)
    {
        var settings = new Dictionary<string, string?>(database?.Settings ?? []) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" };
        foreach (var (key, value) in limits)
        {
            settings["Tickets:Limits:" + key] = value;
        }

        return new BotApp(settings, s => s.AddSingleton<TimeProvider>(_clock));
    }

    private static string[] Swedish(string email) =>
        ["Banken vill inte förskottera produktionen för en order till Kanada", "prata med en människa", "ja", "Orsa Bryggeri AB", "hoppa över", "Eva Ek", email, "Orsa", "svenska", "ja"];

    private static string[] English(string email) =>
        ["The bank will not finance production for an order to Canada", "talk to a person", "yes", "Orsa Brewery AB", "skip", "Eva Ek", email, "Orsa", "English", "yes"];

    /// <summary>A company's handoff in a new conversation from the same client address; returns the bot's last reply as JSON.</summary>
    private static async Task<string> HandoffAsync(BotApp app, string[] lines, string locale = "sv-SE")
    {
        var chat = await new DirectLineClient(app.CreateHttpClient()) { Locale = locale }.OpenAsync(locale);
        foreach (var line in lines)
        {
            using var response = await chat.PostMessageAsync(line, Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var last = (await chat.HistoryAsync()).Last()!;
        return last.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>How many tickets there are, and how many confirmation emails are queued or sent.</summary>
    private static async Task<(int Tickets, int Emails)> TicketsAndEmailsAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var emails = await db.Outbox.CountAsync(m => m.Kind == OutboxKinds.TicketEmail && m.IdempotencyKey.StartsWith("ticket-email-"));
        return (await db.Tickets.CountAsync(), emails);
    }

    /// <summary>A ticket's audit actions (as the table stores them) and its card as the advisors see it.</summary>
    private async Task<(List<string> Actions, string Card)> HistoryAndCardAsync(BotApp app, string number)
    {
        var (ticket, history) = (await app.Services.GetRequiredService<TicketQueries>().LoadAsync(number, CancellationToken.None))!.Value;
        var card = TicketCard.Render(ticket, history, app.Services.GetRequiredService<KnowledgeBase>(), TestClock.Stockholm, _clock.GetUtcNow(), ActionStyle.Submit);
        return ([.. history.Select(h => TicketEventNames.Name(h.Action))], card.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }
}
