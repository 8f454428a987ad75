using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Tickets;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExportCenter.Bot.Insight;

/// <summary>
/// Insight for the coordinators: the page <c>/advisors/insight</c>, its figures as JSON at <c>/api/insight/summary</c> and
/// each figure as CSV at <c>/api/insight/{figure}.csv</c>. The advisors' sign-in, and only advisors marked
/// <c>IsCoordinator</c>; others get 403.
/// </summary>
public static class InsightEndpoints
{
    /// <summary>The CSV downloads, by name.</summary>
    public static readonly IReadOnlyList<string> Figures = ["conversations", "answers", "helped", "tickets", "claims", "topics", "unanswered", "phrasings"];

    public static IEndpointRouteBuilder MapInsight(this IEndpointRouteBuilder app)
    {
        app.MapGet("/advisors/insight", async (HttpContext http, AdvisorDirectory directory, CancellationToken ct) =>
        {
            if (http.User.Identity?.IsAuthenticated != true)
            {
                return (IResult)TypedResults.Redirect("/advisors/login");
            }

            return await IsCoordinatorAsync(http, directory, ct)
                ? AdvisorPageEndpoints.Page("insight.html")
                : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only for coordinators", detail: "Insight is shown to the export centre's coordinators.");
        });

        var api = app.MapGroup("/api/insight").RequireAuthorization(AdvisorPageEndpoints.Scheme).AddEndpointFilter(CoordinatorsOnly);

        // The chat's privacy requests, for the coordinators to act on with the privacy commands.
        app.MapGroup("/api/privacy").RequireAuthorization(AdvisorPageEndpoints.Scheme).AddEndpointFilter(CoordinatorsOnly)
            .MapGet("/requests", async (Privacy.PrivacyRequestStore requests, TicketDeadlinePolicy deadlines, CancellationToken ct) =>
                TypedResults.Ok((await requests.OpenAsync(ct)).Select(r => new
                {
                    r.Reference,
                    r.Kind,
                    r.CreatedAt,
                    Received = AdvisorTexts.Time(TimeZoneInfo.ConvertTime(r.CreatedAt, deadlines.TimeZone)),
                    r.Language,
                    Conversation = $"{r.ChannelId}:{r.ConversationId}",
                    Command = $"dotnet run --project bot -c Release -- privacy {(r.Kind == "erasure" ? "erase" : "export")} --conversation {r.ChannelId}:{r.ConversationId}",
                })));
        api.MapGet("/summary", async Task<Results<Ok<InsightSummary>, ProblemHttpResult>> (string? from, string? to, InsightQueries insight, TicketDeadlinePolicy deadlines, TimeProvider time, CancellationToken ct) =>
        {
            if (!InsightPeriod.TryParse(from, to, Today(deadlines, time), out var period, out var problem))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a period", detail: problem);
            }

            return TypedResults.Ok(await insight.SummaryAsync(period, ct));
        });
        api.MapGet("/{figure}.csv", async Task<Results<FileContentHttpResult, ProblemHttpResult, NotFound>> (string figure, string? from, string? to, int? group, InsightQueries insight, TicketDeadlinePolicy deadlines, TimeProvider time, CancellationToken ct) =>
        {
            if (!Figures.Contains(figure))
            {
                return TypedResults.NotFound();
            }

            if (!InsightPeriod.TryParse(from, to, Today(deadlines, time), out var period, out var problem))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Not a period", detail: problem);
            }

            var summary = await insight.SummaryAsync(period, ct, withUnanswered: figure is "unanswered" or "phrasings");
            if (group is { } g && (figure != "phrasings" || g < 1 || g > summary.Unanswered.Count))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "No such group", detail: "'group' names a group of the unanswered questions, for phrasings.csv.");
            }

            var csv = CsvOf(figure, summary, group);
            return TypedResults.File(Csv.Utf8WithBom(csv), "text/csv; charset=utf-8", $"insight-{figure}-{period.From:yyyy-MM-dd}-{period.To:yyyy-MM-dd}.csv");
        });
        return app;
    }

    /// <summary>One figure of the summary as CSV.</summary>
    public static string CsvOf(string figure, InsightSummary summary, int? group = null)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return figure switch
        {
            "conversations" => Csv.Write(["from", "to", "conversations"], [[summary.From, summary.To, summary.Conversations]]),
            "answers" => Csv.Write(["action", "label", "count"], summary.AnswersByAction.Select(a => (IReadOnlyList<object?>)[a.Action, a.Label, a.Count])),
            "helped" => Csv.Write(["topic_id", "topic", "yes", "no"], summary.HelpedByTopic.Select(h => (IReadOnlyList<object?>)[h.TopicId, h.Title, h.Yes, h.No])),
            "tickets" => Csv.Write(["created", "claimed", "resolved", "breaches", "median_working_hours_to_claim"],
                [[summary.Tickets.Created, summary.Tickets.Claimed, summary.Tickets.Resolved, summary.Breaches, summary.MedianWorkingHoursToClaim]]),
            "claims" => Csv.Write(["organisation_id", "organisation", "tickets", "claimed_within_deadline", "share"],
                summary.ClaimedWithinDeadline.Select(c => (IReadOnlyList<object?>)[c.OrganisationId, c.Name, c.Tickets, c.ClaimedInTime, c.Share])),
            "topics" => Csv.Write(["topic_id", "topic", "answers"], summary.TopTopics.Select(t => (IReadOnlyList<object?>)[t.TopicId, t.Title, t.Count])),
            "unanswered" => Csv.Write(["group", "reason", "topic_id", "language", "question"],
                summary.Unanswered.SelectMany(g => g.Questions.Select(q => (IReadOnlyList<object?>)[g.Group, q.Reason, g.TopicId, q.Language, q.Text]))),
            // For the knowledge-base editors: each question as a candidate example phrasing of the topic the bot guessed,
            // which the editor checks (or changes) before adding it to that topic's examples in its language.
            "phrasings" => Csv.Write(["topic_id", "language", "example", "group", "asked"],
                summary.Unanswered.Where(g => group is null || g.Group == group)
                    .SelectMany(g => g.Questions.GroupBy(q => (q.Text, q.Language)).Select(q => (IReadOnlyList<object?>)[g.TopicId, q.Key.Language, q.Key.Text, g.Group, q.Count()]))),
            _ => throw new ArgumentOutOfRangeException(nameof(figure), figure, "Not a figure."),
        };
    }

    private static async ValueTask<object?> CoordinatorsOnly(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await IsCoordinatorAsync(context.HttpContext, context.HttpContext.RequestServices.GetRequiredService<AdvisorDirectory>(), context.HttpContext.RequestAborted)
            ? await next(context)
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Only for coordinators");

    private static DateOnly Today(TicketDeadlinePolicy deadlines, TimeProvider time) => DateOnly.FromDateTime(deadlines.ToLocal(time.GetUtcNow()).DateTime);

    private static async Task<bool> IsCoordinatorAsync(HttpContext http, AdvisorDirectory directory, CancellationToken ct) =>
        await directory.FindAsync(AdvisorPageEndpoints.AdvisorId(http.User), ct) is { IsCoordinator: true };
}
