using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Insight;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ExportCenter.Bot.Tests.Advisors.LocalAdvisorLoopTests;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// The advisors' queue: unresolved tickets by deadline with the working time left, filtered by organisation and state, and
/// one ticket with its card, its history and how the bot came to it.
/// </summary>
public sealed class AdvisorQueueTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.FridayAfternoon);

    [Fact]
    public async Task TheQueue_ListsUnresolvedTicketsByDeadline_WithWorkingHoursLeft_AndFilters()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" }, s => s.AddSingleton<TimeProvider>(_clock));
        await ChatSteps.CompleteHandoffAsync(app);
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            // A second ticket an hour later, with EEN and claimed; a third, resolved, is not in the queue.
            var first = await db.Tickets.AsNoTracking().SingleAsync(t => t.Number == TestClock.Ticket(1));
            var deadlines = app.Services.GetRequiredService<TicketDeadlinePolicy>();
            db.Tickets.Add(Copy(first, 2, first.CreatedAt.AddHours(1), deadlines, TicketStatus.Claimed, "een"));
            db.Tickets.Add(Copy(first, 3, first.CreatedAt.AddMinutes(-30), deadlines, TicketStatus.Resolved, "almi"));
            await db.SaveChangesAsync();
        }

        // Monday 08:00: 6 working hours left for the first (due 14:00), 7 for the second.
        _clock.SetUtcNow(TestClock.MondayReminder);
        var (_, http) = await SignedInAdvisorAsync(app);
        var queue = (await http.GetFromJsonAsync<JsonObject>("api/advisors/queue"))!;
        var tickets = queue["tickets"]!.AsArray();
        Assert.Equal([TestClock.Ticket(1), TestClock.Ticket(2)], tickets.Select(t => t!["number"]!.GetValue<string>()));
        Assert.Equal((6.0, "6 tim 0 min kvar", false), (tickets[0]!["workingHoursLeft"]!.GetValue<double>(), tickets[0]!["timeLeft"]!.GetValue<string>(), tickets[0]!["overdue"]!.GetValue<bool>()));
        Assert.Equal(("claimed", "een"), (tickets[1]!["state"]!.GetValue<string>(), tickets[1]!["organisationId"]!.GetValue<string>()));
        Assert.Contains(queue["organisations"]!.AsArray(), o => o!["id"]!.GetValue<string>() == "een");

        var een = (await http.GetFromJsonAsync<JsonObject>("api/advisors/queue?organisation=een"))!["tickets"]!.AsArray();
        Assert.Equal([TestClock.Ticket(2)], een.Select(t => t!["number"]!.GetValue<string>()));
        var open = (await http.GetFromJsonAsync<JsonObject>("api/advisors/queue?state=open"))!["tickets"]!.AsArray();
        Assert.Equal([TestClock.Ticket(1)], open.Select(t => t!["number"]!.GetValue<string>()));

        // Tuesday: the first is overdue by the working hours since its deadline.
        _clock.SetUtcNow(TestClock.MondayDeadline.AddHours(3));
        var late = (await http.GetFromJsonAsync<JsonObject>("api/advisors/queue?state=open"))!["tickets"]![0]!;
        Assert.Equal((-3.0, true), (late["workingHoursLeft"]!.GetValue<double>(), late["overdue"]!.GetValue<bool>()));
        Assert.StartsWith("Försenat 3 tim", late["timeLeft"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var bad in new[] { "state=closed", "organisation=nasa" })
        {
            using var response = await http.GetAsync("api/advisors/queue?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }

        using var anonymous = app.CreateHttpClient();
        foreach (var path in new[] { "api/advisors/queue", "api/advisors/tickets/" + TestClock.Ticket(1) })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

    }

    private static Ticket Copy(Ticket ticket, int number, DateTimeOffset created, TicketDeadlinePolicy deadlines, TicketStatus status, string organisation) => new()
    {
        Number = TestClock.Ticket(number),
        Status = status,
        CreatedAt = created,
        DueAt = deadlines.DeadlineFor(created),
        ClaimedAt = status == TicketStatus.Open ? null : created,
        ResolvedAt = status == TicketStatus.Resolved ? created : null,
        AssignedOrganisationId = organisation,
        TopicId = ticket.TopicId,
        SuggestedOrganisationId = ticket.SuggestedOrganisationId,
        Language = ticket.Language,
        CompanyName = ticket.CompanyName,
        ContactPerson = ticket.ContactPerson,
        Email = ticket.Email,
        Municipality = ticket.Municipality,
        PreferredLanguage = ticket.PreferredLanguage,
        Summary = ticket.Summary,
        ChannelId = ticket.ChannelId,
        ConversationId = ticket.ConversationId + "-" + number,
        ConversationReference = ticket.ConversationReference,
        TranscriptExcerpt = ticket.TranscriptExcerpt,
    };

    [Fact]
    public async Task ATicket_OpensWithItsCardWithoutButtons_ItsHistory_AndHowTheBotCameToIt()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" }, s => s.AddSingleton<TimeProvider>(_clock));
        await ChatSteps.CompleteHandoffAsync(app);
        await app.Services.GetRequiredService<AnswerRecordBuffer>().FlushAsync();
        var (_, http) = await SignedInAdvisorAsync(app);

        var detail = (await http.GetFromJsonAsync<JsonObject>("api/advisors/tickets/" + TestClock.Ticket(1)))!;
        Assert.Equal("open", detail["state"]!.GetValue<string>());
        var card = detail["card"]!.ToJsonString();
        Assert.Contains("Ludvika Gjuteri AB", card, StringComparison.Ordinal);
        Assert.DoesNotContain("ActionSet", card, StringComparison.Ordinal);
        Assert.DoesNotContain("Action.Submit", card, StringComparison.Ordinal);
        Assert.Contains(detail["history"]!.AsArray(), h => h!.GetValue<string>().EndsWith("skapat av boten", StringComparison.Ordinal));

        // The company's first question was answered by the classifier, then it asked for a person.
        var audit = detail["audit"]!.AsArray();
        Assert.Equal(["answer", "handoff"], audit.Select(a => a!["action"]!.GetValue<string>()));
        Assert.Equal("classifier", audit[0]!["decision"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(audit[0]!["topic"]!.GetValue<string>()));
        Assert.Equal(ExportCenter.Testing.TrainedUnderstanding.KnowledgeBase.Revision, audit[0]!["knowledgeRevision"]!.GetValue<string>());

        using var missing = await http.GetAsync("api/advisors/tickets/EXP-1999-00001");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
