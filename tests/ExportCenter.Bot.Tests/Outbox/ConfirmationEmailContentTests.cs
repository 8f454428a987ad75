using System.Net;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.Outbox;

/// <summary>
/// The confirmation email goes to an address typed in an open chat, so it repeats nothing the company wrote:
/// the ticket number, the organisation, the deadline and fixed wording only.
/// </summary>
public sealed class ConfirmationEmailContentTests
{
    private const string LinkSummary = "Vi behöver en exportkredit. Läs vårt erbjudande på https://evil.example/vinst och www.evil.example";

    [Fact]
    public async Task Swedish_TheEmail_HoldsNoSummaryAndNoContactName_EvenWhenTheSummaryHoldsALink()
    {
        using var app = App();
        await HandoffAsync(app, "sv-SE", ["Banken vill inte förskottera produktionen för en order till Kanada", "prata med en människa", "ja", "Ludvika Gjuteri AB", "hoppa över", "Anna Berg", "anna.berg@gjuteri.se", "Ludvika", "svenska", LinkSummary]);

        var body = await SentEmailAsync(app);

        Assert.Contains(TestClock.Ticket(1), body, StringComparison.Ordinal);
        Assert.Contains($"Almi Företagspartner kontaktar dig senast {TestClock.SwedishDeadline}.", body, StringComparison.Ordinal);
        AssertNothingTheCompanyWrote(body, "Anna Berg", "Ludvika Gjuteri");
        Assert.Contains("evil.example", await SummaryAsync(app), StringComparison.Ordinal);
    }

    [Fact]
    public async Task English_TheEmail_HoldsNoSummaryAndNoContactName_EvenWhenTheSummaryHoldsALink()
    {
        using var app = App();
        await HandoffAsync(app, "en-GB", ["The bank will not finance production for an order to Canada", "talk to a person", "yes", "Orsa Bryggeri AB", "skip", "Eva Ek", "eva@bryggeri.se", "Orsa", "English", "We need export credit. See our offer at https://evil.example/win and www.evil.example"]);

        var body = await SentEmailAsync(app);

        Assert.Contains(TestClock.Ticket(1), body, StringComparison.Ordinal);
        Assert.Contains($"will contact you by {TestClock.EnglishDeadline}.", body, StringComparison.Ordinal);
        AssertNothingTheCompanyWrote(body, "Eva Ek", "Orsa Bryggeri");
    }

    private static void AssertNothingTheCompanyWrote(string body, string contactPerson, string company)
    {
        Assert.DoesNotContain("evil.example", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(contactPerson, body, StringComparison.Ordinal);
        Assert.DoesNotContain(company, body, StringComparison.Ordinal);
        Assert.DoesNotContain("export credit", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("exportkredit", body, StringComparison.OrdinalIgnoreCase);
    }

    private static BotApp App() => new(
        new Dictionary<string, string?> { ["Outbox:Enabled"] = "false" },
        s => s.AddSingleton<TimeProvider>(TestClock.Create()));

    private static async Task HandoffAsync(BotApp app, string locale, string[] lines)
    {
        var chat = await new DirectLineClient(app.CreateHttpClient()) { Locale = locale }.OpenAsync(locale);
        foreach (var line in lines)
        {
            using var response = await chat.PostMessageAsync(line, Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Contains(TestClock.Ticket(1), (await ChatSteps.TextsAsync(chat)).Last(), StringComparison.Ordinal);
    }

    /// <summary>The text of the one email the outbox wrote to the pickup folder.</summary>
    private static async Task<string> SentEmailAsync(BotApp app)
    {
        await ChatSteps.DrainOutboxAsync(app);
        var file = Assert.Single(Directory.GetFiles(app.MailFolder, "*.eml"));
        using var stream = File.OpenRead(file);
        var mail = await MimeKit.MimeMessage.LoadAsync(stream);
        return mail.Subject + "\n" + mail.TextBody;
    }

    private static async Task<string> SummaryAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        return (await db.Tickets.SingleAsync()).Summary;
    }
}
