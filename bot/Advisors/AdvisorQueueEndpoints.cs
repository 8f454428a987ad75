using System.Globalization;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Storage;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Bot.Tickets;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Advisors;

/// <summary>An open ticket in the advisors' queue.</summary>
public sealed record QueueTicket(
    string Number,
    string State,
    string StateLabel,
    string OrganisationId,
    string Organisation,
    string Topic,
    string Company,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    string Due,
    double WorkingHoursLeft,
    string TimeLeft,
    bool Overdue,
    string? ClaimedBy);

public sealed record QueueOrganisation(string Id, string Name);

public sealed record QueueView(IReadOnlyList<QueueOrganisation> Organisations, IReadOnlyList<QueueTicket> Tickets);

/// <summary>One decision of the bot in the conversation that led to a ticket (the answer audit, without message text).</summary>
public sealed record AuditLine(DateTimeOffset At, string Time, string Action, string Decision, string? Topic, string? Facet, string? Organisation, float? Confidence, string? SecondTopic, float? SecondScore, string KnowledgeRevision);

public sealed record TicketDetail(string Number, string State, JsonObject Card, IReadOnlyList<string> History, IReadOnlyList<AuditLine> Audit);

/// <summary>
/// The advisors' queue on the local page: <c>/advisors/queue</c> lists the tickets not yet resolved, most urgent first, with
/// the counted working time left to their deadline, filterable by organisation and state; <c>/api/advisors/tickets/{number}</c>
/// shows one ticket's card, its whole history, and how the bot came to it (the answer audit of its conversation).
/// Any signed-in advisor; claiming and answering stay on the card in the channel.
/// </summary>
public static class AdvisorQueueEndpoints
{
    /// <summary>The most tickets the queue lists at once.</summary>
    public const int MaxTickets = 500;

    public static IEndpointRouteBuilder MapAdvisorQueue(this IEndpointRouteBuilder app)
    {
        app.MapGet("/advisors/queue", (HttpContext http) => http.User.Identity?.IsAuthenticated == true
            ? (Results<PhysicalFileHttpResult, RedirectHttpResult>)AdvisorPageEndpoints.Page("queue.html")
            : TypedResults.Redirect("/advisors/login"));
        var api = app.MapGroup("/api/advisors").RequireAuthorization(AdvisorPageEndpoints.Scheme);
        api.MapGet("/queue", QueueAsync);
        api.MapGet("/tickets/{number}", TicketAsync);
        return app;
    }

    private static async Task<Results<Ok<QueueView>, ProblemHttpResult>> QueueAsync(
        string? organisation, string? state, IDbContextFactory<BotDbContext> dbFactory, KnowledgeBase knowledge, TicketDeadlinePolicy deadlines, TimeProvider time, CancellationToken ct)
    {
        TicketStatus[] states = state switch
        {
            null or "" => [TicketStatus.Open, TicketStatus.Claimed],
            "open" => [TicketStatus.Open],
            "claimed" => [TicketStatus.Claimed],
            _ => [],
        };
        if (states.Length == 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a state", detail: "'state' is open, claimed or empty (both).");
        }

        if (!string.IsNullOrEmpty(organisation) && !knowledge.OrganisationsById.ContainsKey(organisation))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not an organisation", detail: "'organisation' is an organisation id of the knowledge base.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Tickets.AsNoTracking().Where(t => states.Contains(t.Status));
        if (!string.IsNullOrEmpty(organisation))
        {
            query = query.Where(t => (t.AssignedOrganisationId ?? t.SuggestedOrganisationId) == organisation);
        }

        var rows = await (from t in query
                          join a in db.Advisors.AsNoTracking() on t.ClaimedByAdvisorId equals a.Id into advisors
                          from a in advisors.DefaultIfEmpty()
                          orderby t.DueAt, t.Id
                          select new { Ticket = t, Advisor = a != null ? a.Name : null })
            .Take(MaxTickets).ToListAsync(ct);
        var now = time.GetUtcNow();
        var tickets = rows.Select(r =>
        {
            var t = r.Ticket;
            var left = t.DueAt >= now ? deadlines.CountedBetween(now, t.DueAt) : -deadlines.CountedBetween(t.DueAt, now);
            var organisationId = t.OrganisationId;
            return new QueueTicket(
                t.Number,
                t.Status == TicketStatus.Open ? "open" : "claimed",
                t.Status == TicketStatus.Open ? "Väntar" : "Tagen",
                organisationId,
                TicketCard.OrganisationName(knowledge, organisationId),
                t.TopicId is not null && knowledge.TopicsById.TryGetValue(t.TopicId, out var topic) ? topic.Title.Sv : "Okänt ämne",
                t.CompanyName,
                t.CreatedAt,
                t.DueAt,
                AdvisorTexts.Due(TimeZoneInfo.ConvertTime(t.DueAt, deadlines.TimeZone)),
                Math.Round(left.TotalHours, 1),
                TimeLeft(left, t.Status),
                left < TimeSpan.Zero && t.Status == TicketStatus.Open,
                r.Advisor);
        }).ToList();
        var organisations = knowledge.Organisations.OrderBy(o => o.Name.Sv, StringComparer.Create(CultureInfo.GetCultureInfo("sv-SE"), false))
            .Select(o => new QueueOrganisation(o.Id, o.Name.Sv)).ToList();
        return TypedResults.Ok(new QueueView(organisations, tickets));
    }

    private static async Task<Results<Ok<TicketDetail>, NotFound>> TicketAsync(
        string number, TicketQueries queries, IDbContextFactory<BotDbContext> dbFactory, KnowledgeBase knowledge, TicketDeadlinePolicy deadlines, TimeProvider time, CancellationToken ct)
    {
        if (number.Length > 32 || await queries.LoadAsync(number, ct) is not var (ticket, history))
        {
            return TypedResults.NotFound();
        }

        var zone = deadlines.TimeZone;
        var card = TicketCard.Render(ticket, history, knowledge, zone, time.GetUtcNow(), ActionStyle.Submit);
        // The queue shows the card; the actions stay on the card in the advisors' channel, where they are recorded.
        if (card["body"] is JsonArray body)
        {
            foreach (var set in body.Where(e => e?["type"]?.GetValue<string>() == "ActionSet").ToList())
            {
                body.Remove(set);
            }
        }

        card.Remove("actions");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var records = await db.AnswerRecords.AsNoTracking()
            .Where(r => r.ChannelId == ticket.ChannelId && r.ConversationId == ticket.ConversationId && r.At <= ticket.CreatedAt)
            .OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(ct);
        var audit = records.Select(r => new AuditLine(
            r.At,
            AdvisorTexts.Time(TimeZoneInfo.ConvertTime(r.At, zone)),
            r.Action,
            r.Decision,
            r.TopicId is not null && knowledge.TopicsById.TryGetValue(r.TopicId, out var topic) ? topic.Title.Sv : r.TopicId,
            r.Facet,
            r.OrganisationId is null ? null : TicketCard.OrganisationName(knowledge, r.OrganisationId),
            r.Confidence,
            r.SecondTopicId is not null && knowledge.TopicsById.TryGetValue(r.SecondTopicId, out var second) ? second.Title.Sv : r.SecondTopicId,
            r.SecondScore,
            r.KnowledgeRevision)).ToList();
        return TypedResults.Ok(new TicketDetail(
            ticket.Number,
            ticket.Status.ToString().ToLowerInvariant(),
            card,
            [.. history.Select(h => TicketCard.HistoryText(h, knowledge, zone))],
            audit));
    }

    private static string TimeLeft(TimeSpan left, TicketStatus status)
    {
        var hours = Math.Abs(left.TotalHours);
        var text = hours >= 1 ? string.Create(CultureInfo.GetCultureInfo("sv-SE"), $"{Math.Floor(hours):0} tim {Math.Abs(left.Minutes)} min") : $"{Math.Abs((int)left.TotalMinutes)} min";
        return left >= TimeSpan.Zero ? text + " kvar" : (status == TicketStatus.Open ? "Försenat " : "Tidsgränsen passerades för ") + text + " sedan";
    }
}
