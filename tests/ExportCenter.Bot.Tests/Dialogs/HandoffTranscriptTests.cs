using System.Net;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Dialogs;

/// <summary>
/// The handoff as a transcript over the real channel and host (the user says X, the bot replies Y), in
/// Swedish and English, on SQLite and PostgreSQL.
/// </summary>
public sealed class HandoffTranscriptTests
{
    // Friday 14:00 in Stockholm (the shared test clock): the ticket is due Monday 14:00.
    private static readonly DateTimeOffset FridayAfternoon = TestClock.FridayAfternoon;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Swedish_HandoffWithConsent_CreatesATicket_AndConfirmsNumberOrganisationAndDeadline(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = new BotApp(database.Settings, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(FridayAfternoon)));
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");

        await Says(chat, "Vi har fått en stor order från Kanada men banken vill inte förskottera produktionen");
        Assert.Equal(HandoffTexts.Swedish.Consent, await Says(chat, "jag vill prata med en människa"));
        Assert.Equal(HandoffTexts.Swedish.Company, await Says(chat, "ja"));
        Assert.Equal(HandoffTexts.Swedish.OrganisationNumber, await Says(chat, "Ludvika Gjuteri AB"));
        Assert.StartsWith(HandoffTexts.Swedish.OrganisationNumberHint, await Says(chat, "556036-0794"));
        Assert.Equal(HandoffTexts.Swedish.ContactPerson, await Says(chat, "556036-0793"));
        Assert.Equal(HandoffTexts.Swedish.Contact, await Says(chat, "Anna Berg"));
        Assert.StartsWith(HandoffTexts.Swedish.ContactHint, await Says(chat, "anna på gjuteriet"));
        Assert.Equal(HandoffTexts.Swedish.Municipality, await Says(chat, "anna.berg@gjuteri.se"));
        Assert.Equal(HandoffTexts.Swedish.ConfirmLanguage, await Says(chat, "ludvika"));
        Assert.StartsWith("Så här sammanfattar jag din fråga till rådgivaren: \"Vi har fått en stor order från Kanada", await Says(chat, "svenska"));
        var confirmation = await Says(chat, "ja");

        Assert.Equal($"Tack! Ditt ärende har nummer {TestClock.Ticket(1)}. Almi Företagspartner kontaktar dig senast {TestClock.SwedishDeadline}.", confirmation);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal((TestClock.Ticket(1), "export-finance", "almi"), (ticket.Number, ticket.TopicId, ticket.SuggestedOrganisationId));
        Assert.Equal(("Ludvika Gjuteri AB", "556036-0793", "Anna Berg", "anna.berg@gjuteri.se", "Ludvika", "sv"), (ticket.CompanyName, ticket.OrganisationNumber, ticket.ContactPerson, ticket.Email, ticket.Municipality, ticket.PreferredLanguage));
        Assert.Equal(TestClock.MondayDeadline, ticket.DueAt);
        Assert.Contains("> Vi har fått en stor order från Kanada", ticket.TranscriptExcerpt, StringComparison.Ordinal);
        Assert.Contains("> Ludvika Gjuteri AB", ticket.TranscriptExcerpt, StringComparison.Ordinal);
        // The excerpt does not repeat the contact details the card shows in their own fields.
        Assert.Contains("> [e-post]", ticket.TranscriptExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("anna.berg@gjuteri.se", ticket.TranscriptExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain("556036-0793", ticket.TranscriptExcerpt, StringComparison.Ordinal);

        Assert.StartsWith($"Ärende {TestClock.Ticket(1)}: mottaget, väntar på en rådgivare. Almi Företagspartner kontaktar dig senast {TestClock.SwedishDeadline}", await Says(chat, "hur går det med mitt ärende?"));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task SummaryAnswerRepeated_AfterTheTicketsCommit_ButWithTheStateSaveLost_ConfirmsTheSameTicket(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = new BotApp(
            new Dictionary<string, string?>(database.Settings) { ["Outbox:Enabled"] = "false" },
            s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(FridayAfternoon)));
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        foreach (var line in new[] { "Banken vill inte förskottera produktionen för en order till Kanada", "prata med en människa", "ja", "Ludvika Gjuteri AB", "hoppa över", "Anna Berg", "anna.berg@gjuteri.se", "Ludvika" })
        {
            await Says(chat, line);
        }

        Assert.StartsWith("Så här sammanfattar jag din fråga till rådgivaren:", await Says(chat, "svenska"));
        var beforeTheTicket = await BotStateAsync(app);
        var expected = $"Tack! Ditt ärende har nummer {TestClock.Ticket(1)}. Almi Företagspartner kontaktar dig senast {TestClock.SwedishDeadline}.";
        Assert.Equal(expected, await Says(chat, "ja"));

        // A kill after the ticket's commit and before the turn's state was saved: the state is the one before the
        // answer, so the company's repeated answer runs the same turn again.
        await RestoreBotStateAsync(app, beforeTheTicket);
        Assert.Equal(expected, await Says(chat, "ja"));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        Assert.Equal(TestClock.Ticket(1), (await db.Tickets.SingleAsync()).Number);
        Assert.Equal(1, await db.Outbox.CountAsync(m => m.Kind == OutboxKinds.TicketEmail));
        Assert.Equal(1, await db.Outbox.CountAsync(m => m.Kind == OutboxKinds.AdvisorCardPost));
    }

    [Fact]
    public async Task English_HandoffWithoutConsent_StoresNothing_AndGivesTheOrganisationsContacts()
    {
        using var app = new BotApp();
        var chat = await new DirectLineClient(app.CreateHttpClient()) { Locale = "en-GB" }.OpenAsync("en-GB");

        Assert.Equal(HandoffTexts.English.Consent, await Says(chat, "I would like to talk to a person please"));
        var reply = await Reply(chat, "no");

        Assert.Contains(HandoffTexts.English.NoConsent, reply.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Tickets.ToListAsync());
    }

    [Fact]
    public async Task English_WhatTheCompanyAlreadyWrote_IsOfferedBack_AndTheTicketIsConfirmed()
    {
        using var app = new BotApp(services: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(FridayAfternoon)));
        var chat = await new DirectLineClient(app.CreateHttpClient()) { Locale = "en-GB" }.OpenAsync("en-GB");

        Assert.Equal(HandoffTexts.English.Consent, await Says(chat, "Can someone call me about exporting our furniture? We are a sawmill in Mora, my email is john@sawmill.se"));
        Assert.Equal(HandoffTexts.English.Company, await Says(chat, "yes"));
        Assert.Equal(HandoffTexts.English.OrganisationNumber, await Says(chat, "Mora Sawmill AB"));
        Assert.Equal(HandoffTexts.English.ContactPerson, await Says(chat, "skip"));
        Assert.Equal("Should the advisor contact you at john@sawmill.se? Answer yes, or type another email address or phone number.", await Says(chat, "John Smith"));
        Assert.Equal("Is the company in Mora? Answer yes, or type the municipality.", await Says(chat, "yes"));
        Assert.Equal(HandoffTexts.English.ConfirmLanguage, await Says(chat, "yes"));
        Assert.StartsWith("This is how I would summarise your question for the advisor: \"Can someone call me about exporting our furniture?", await Says(chat, "English"));
        var confirmation = await Says(chat, "yes");

        Assert.StartsWith($"Thank you! Your case number is {TestClock.Ticket(1)}.", confirmation);
        Assert.EndsWith($"will contact you by {TestClock.EnglishDeadline}.", confirmation);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal(("john@sawmill.se", "Mora", "en", "John Smith"), (ticket.Email, ticket.Municipality, ticket.PreferredLanguage, ticket.ContactPerson));
    }

    [Fact]
    public async Task NameNumberAndContactWrittenEarlier_AreOfferedBackOrTaken_NotAskedAgain()
    {
        using var app = new BotApp(services: s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(FridayAfternoon)));
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");

        await Says(chat, "Vi på Dalaträ Snickeri AB (556036-0793) vill börja sälja köksluckor till Norge. Hur gör vi med tullen?");
        Assert.Equal(HandoffTexts.Swedish.Consent, await Says(chat, "kan någon ringa mig? ni når mig på 070-123 45 67"));
        Assert.Equal("Gäller det Dalaträ Snickeri AB? Svara ja, eller skriv företagets namn.", await Says(chat, "ja"));
        Assert.Equal(HandoffTexts.Swedish.ContactPerson, await Says(chat, "ja"));
        Assert.Equal("Ska rådgivaren kontakta dig på 070-123 45 67? Svara ja, eller skriv en annan e-postadress eller ett annat telefonnummer.", await Says(chat, "Eva Lind"));
        Assert.Equal(HandoffTexts.Swedish.Municipality, await Says(chat, "ja"));
        Assert.Equal(HandoffTexts.Swedish.ConfirmLanguage, await Says(chat, "Falun"));
        await Says(chat, "nej");
        await Says(chat, "ja");

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.SingleAsync();
        Assert.Equal(("Dalaträ Snickeri AB", "556036-0793", "Eva Lind", "+46701234567", "Falun", "en"), (ticket.CompanyName, ticket.OrganisationNumber, ticket.ContactPerson, ticket.Phone, ticket.Municipality, ticket.PreferredLanguage));
    }

    [Fact]
    public async Task CancelMidHandoff_EndsItWithoutATicket()
    {
        using var app = new BotApp();
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");

        await Says(chat, "prata med en människa");
        await Says(chat, "ja");
        await Reply(chat, "avbryt");
        var next = await Reply(chat, "Snickeri AB");

        Assert.NotEqual(HandoffTexts.Swedish.OrganisationNumber, next["text"]?.GetValue<string>());
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Tickets.ToListAsync());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RestartMidHandoff_ContinuesWhereItWas(string provider)
    {
        using var database = TestDatabase.Create(provider);
        string token, conversationId;
        using (var before = new BotApp(database.Settings))
        {
            var chat = await new DirectLineClient(before.CreateHttpClient()).OpenAsync("sv-SE");
            await Says(chat, "kan någon ringa mig om tullen till Norge?");
            Assert.Equal(HandoffTexts.Swedish.Company, await Says(chat, "ja"));
            (token, conversationId) = (chat.Token, chat.ConversationId);
        }

        using var after = new BotApp(database.Settings);
        var resumed = new DirectLineClient(after.CreateHttpClient()) { Token = token, ConversationId = conversationId };

        Assert.Equal(HandoffTexts.Swedish.OrganisationNumber, await Says(resumed, "Dala Snickeri AB"));
    }

    [Fact]
    public async Task TicketWriteFails_NoConfirmationIsSent_AndTheCompanyIsToldPlainly()
    {
        using var app = new BotApp(services: s => s.AddSingleton<ITicketService, FailingTickets>());
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        foreach (var line in new[] { "prata med en människa", "ja", "Gjuteri AB", "hoppa över", "Anna Berg", "anna@gjuteri.se", "Ludvika", "svenska" })
        {
            await Says(chat, line);
        }

        var reply = await Reply(chat, "Vi behöver hjälp med en exportkredit till Kanada");

        var json = reply.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains(HandoffTexts.Swedish.NotSaved, json, StringComparison.Ordinal);
        Assert.DoesNotContain("ärende har nummer", json, StringComparison.Ordinal);
        Assert.Equal(BotTexts.Swedish.StatusNone, await Says(chat, "status"));
    }

    [Fact]
    public async Task EnglishFlows_Smalltalk_OutOfScope_Clarify_AndStatusOfATicketAfterARestart()
    {
        using var database = TestDatabase.Create("sqlite");
        string token, conversationId;
        using (var before = new BotApp(database.Settings, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(FridayAfternoon))))
        {
            var chat = await new DirectLineClient(before.CreateHttpClient()) { Locale = "en-GB" }.OpenAsync("en-GB");
            Assert.Contains(BotTexts.English.SmalltalkReply, Json(await Reply(chat, "hello there, thanks!")), StringComparison.Ordinal);
            Assert.Contains(BotTexts.English.OutOfScopeReply, Json(await Reply(chat, "what is the weather like in Falun tomorrow")), StringComparison.Ordinal);
            var clarify = Json(await Reply(chat, "money for export?"));
            Assert.True(clarify.Contains(BotTexts.English.ClarifyIntro, StringComparison.Ordinal) || clarify.Contains(BotTexts.English.DidThisHelp, StringComparison.Ordinal));
            foreach (var line in new[] { "talk to a person", "yes", "Orsa Bryggeri AB", "skip", "Eva Ek", "eva@bryggeri.se", "Orsa", "English" })
            {
                await Says(chat, line);
            }

            Assert.StartsWith($"Thank you! Your case number is {TestClock.Ticket(1)}.", await Says(chat, "yes"));
            (token, conversationId) = (chat.Token, chat.ConversationId);
        }

        using var after = new BotApp(database.Settings, s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(FridayAfternoon.AddMinutes(10))));
        var resumed = new DirectLineClient(after.CreateHttpClient()) { Token = token, ConversationId = conversationId, Locale = "en-GB" };

        Assert.StartsWith($"Case {TestClock.Ticket(1)}: received, waiting for an advisor.", await Says(resumed, "how is my case doing?"));
    }

    private static string Json(JsonObject activity) =>
        activity.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    [Fact]
    public async Task Status_WithoutATicket_SaysSo()
    {
        using var app = new BotApp();
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");

        Assert.Equal(BotTexts.Swedish.StatusNone, await Says(chat, "status"));
    }

    /// <summary>A ticket system whose database is down.</summary>
    private sealed class FailingTickets : ITicketService
    {
        public Task<TicketResult> CreateAsync(HandoffRequest request, CancellationToken cancellationToken) =>
            throw new DbUpdateException("The database is not reachable.");

        public Task<IReadOnlyList<TicketSummary>> ForConversationAsync(string channelId, string conversationId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TicketSummary>>([]);
    }

    /// <summary>The bot's saved conversation and user state, as a crash would leave it.</summary>
    private static async Task<List<BotStateItem>> BotStateAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        return await db.BotState.AsNoTracking().ToListAsync();
    }

    /// <summary>
    /// Puts the saved state back as it was: what a later turn saved is lost. The killed process's memory is lost with
    /// it, so the state an instance on SQLite keeps in memory goes too (a restart starts without it).
    /// </summary>
    private static async Task RestoreBotStateAsync(BotApp app, List<BotStateItem> saved)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        await db.BotState.ExecuteDeleteAsync();
        db.BotState.AddRange(saved);
        await db.SaveChangesAsync();
        app.Services.GetService<StateItemCache>()?.Clear();
    }

    private static async Task<string?> Says(DirectLineClient chat, string text) => (await Reply(chat, text))["text"]?.GetValue<string>();

    private static async Task<JsonObject> Reply(DirectLineClient chat, string text)
    {
        using var response = await chat.PostMessageAsync(text, Guid.NewGuid().ToString("N"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var history = await chat.HistoryAsync();
        return history.Last()!.AsObject();
    }
}
