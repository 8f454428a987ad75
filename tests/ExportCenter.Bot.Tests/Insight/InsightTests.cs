using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Conversation;
using ExportCenter.Bot.Insight;
using ExportCenter.Bot.Retention;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static ExportCenter.Bot.Tests.Advisors.LocalAdvisorLoopTests;

namespace ExportCenter.Bot.Tests.Insight;

/// <summary>
/// The coordinators' insight: figures from a seeded database on a fake clock, the answer audit and the masked unanswered
/// questions that real chat turns leave, the CSV downloads, who may see them, and their retention.
/// </summary>
public sealed class InsightTests
{
    private readonly FakeTimeProvider _clock = new(TestClock.FridayAfternoon);

    private static DateTimeOffset Friday(int hour, int minute = 0) => TestClock.FridayAfternoon.AddHours(hour - 14).AddMinutes(minute);

    private static DateTimeOffset Monday(int hour) => TestClock.MondayDeadline.AddHours(hour - 14);

    private static string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TestClock.Stockholm).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TheSummary_CountsTheSeededPeriod_InWorkingHoursAsTheDeadlineCounts(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        await SeedAsync(app);
        _clock.SetUtcNow(Monday(12));
        var (_, http) = await SignedInAdvisorAsync(app);

        // Before the open ticket's deadline (Monday 14:30) it is neither in time nor late: left out of its organisation's share.
        var earlier = (await http.GetFromJsonAsync<JsonObject>($"api/insight/summary?from={Day(Friday(14))}&to={Day(Monday(14))}"))!;
        Assert.Contains(earlier["claimedWithinDeadline"]!.AsArray(), c => $"{c!["organisationId"]}:{c["claimedInTime"]}/{c["tickets"]}" == "een:0/1");

        _clock.SetUtcNow(Monday(16));
        var summary = (await http.GetFromJsonAsync<JsonObject>($"api/insight/summary?from={Day(Friday(14))}&to={Day(Monday(14))}"))!;

        Assert.Equal(3, summary["conversations"]!.GetValue<int>());
        Assert.Equal("answer:3 clarify:1 out_of_scope:1", string.Join(' ', summary["answersByAction"]!.AsArray().Select(a => $"{a!["action"]}:{a["count"]}")));
        Assert.Equal("customs-eori:2 trade-fairs:1", string.Join(' ', summary["topTopics"]!.AsArray().Select(a => $"{a!["topicId"]}:{a["count"]}")));
        Assert.Equal("customs-eori:2/1", string.Join(' ', summary["helpedByTopic"]!.AsArray().Select(h => $"{h!["topicId"]}:{h["yes"]}/{h["no"]}")));
        Assert.Equal((4, 3, 1), (summary["tickets"]!["created"]!.GetValue<int>(), summary["tickets"]!["claimed"]!.GetValue<int>(), summary["tickets"]!["resolved"]!.GetValue<int>()));
        Assert.Equal(1, summary["breaches"]!.GetValue<int>());
        // Claimed after 2, 20 (Friday 14-24 and Monday 0-10, not the weekend) and 25 working hours.
        Assert.Equal(20, summary["medianWorkingHoursToClaim"]!.GetValue<double>());
        Assert.Equal("almi:2/2=1 een:0/2=0", string.Join(' ', summary["claimedWithinDeadline"]!.AsArray()
            .OrderBy(c => c!["organisationId"]!.GetValue<string>(), StringComparer.Ordinal)
            .Select(c => $"{c!["organisationId"]}:{c["claimedInTime"]}/{c["tickets"]}={c["share"]}")));

        var groups = summary["unanswered"]!.AsArray();
        Assert.Equal(2, groups.Count);
        Assert.Equal(2, groups[0]!["count"]!.GetValue<int>());
        Assert.Contains("mässa", groups[0]!["representative"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal("trade-fairs", groups[0]!["topicId"]!.GetValue<string>());

        // The day before the period holds one record and one ticket; a period of that day alone sees only them.
        var before = (await http.GetFromJsonAsync<JsonObject>($"api/insight/summary?from={Day(Friday(14).AddDays(-1))}&to={Day(Friday(14).AddDays(-1))}"))!;
        Assert.Equal((1, 1), (before["conversations"]!.GetValue<int>(), before["tickets"]!["created"]!.GetValue<int>()));
    }

    [Fact]
    public async Task EachFigure_DownloadsAsCsv_AndAQuestionStartingWithAFormulaSignIsDefused()
    {
        using var app = App();
        await SeedAsync(app);
        _clock.SetUtcNow(Monday(16));
        var (_, http) = await SignedInAdvisorAsync(app);
        var period = $"from={Day(Friday(14))}&to={Day(Monday(14))}";

        foreach (var figure in InsightEndpoints.Figures)
        {
            using var response = await http.GetAsync($"api/insight/{figure}.csv?{period}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
            Assert.StartsWith($"attachment; filename=insight-{figure}-", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        }

        var conversations = await http.GetStringAsync($"api/insight/conversations.csv?{period}");
        Assert.Equal($"from,to,conversations\r\n{Day(Friday(14))},{Day(Monday(14))},3\r\n", conversations);
        var claims = await http.GetStringAsync($"api/insight/claims.csv?{period}");
        Assert.Contains("organisation_id,organisation,tickets,claimed_within_deadline,share\r\n", claims, StringComparison.Ordinal);
        Assert.Contains("almi,Almi Företagspartner,2,2,1\r\n", claims, StringComparison.Ordinal);
        var tickets = await http.GetStringAsync($"api/insight/tickets.csv?{period}");
        Assert.EndsWith("4,3,1,1,20\r\n", tickets, StringComparison.Ordinal);

        // The editors' export: each question as a candidate phrasing of the topic the bot guessed, for one group.
        var phrasings = await http.GetStringAsync($"api/insight/phrasings.csv?{period}&group=1");
        var lines = phrasings.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("topic_id,language,example,group,asked", lines[0]);
        Assert.Equal(2, lines.Length - 1);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("trade-fairs,sv,", l, StringComparison.Ordinal));
        var unanswered = await http.GetStringAsync($"api/insight/unanswered.csv?{period}");
        Assert.Contains(",\"'=HYPERLINK(\"\"http", unanswered, StringComparison.Ordinal);

        using var noSuchGroup = await http.GetAsync($"api/insight/phrasings.csv?{period}&group=9");
        Assert.Equal(HttpStatusCode.BadRequest, noSuchGroup.StatusCode);
        using var noSuchFigure = await http.GetAsync($"api/insight/passwords.csv?{period}");
        Assert.Equal(HttpStatusCode.NotFound, noSuchFigure.StatusCode);
    }

    [Fact]
    public async Task OnlyCoordinators_SeeInsight_AndABadPeriodIsA400()
    {
        using var app = App(settings: new()
        {
            ["Advisors:Directory:0:Name"] = "Bo Rådgivare",
            ["Advisors:Directory:0:OrganisationId"] = "almi",
            ["Advisors:Directory:0:LocalLogin"] = "bo",
            ["Advisors:Directory:1:Name"] = "Samordnaren",
            ["Advisors:Directory:1:OrganisationId"] = "region-dalarna",
            ["Advisors:Directory:1:LocalLogin"] = "radgivare",
            ["Advisors:Directory:1:IsCoordinator"] = "true",
        });
        using var anonymous = app.CreateHttpClient();
        using (var response = await anonymous.GetAsync("api/insight/summary"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using (var response = await anonymous.GetAsync("advisors/insight"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/advisors/login", response.Headers.Location!.OriginalString);
        }

        var token = await app.Services.GetRequiredService<ExportCenter.Bot.Advisors.AdvisorDirectory>().IssueSignInTokenAsync("bo", CancellationToken.None);
        using var advisor = app.CreateHttpClient();
        using (var signIn = await advisor.PostAsync("advisors/signin", JsonContent.Create(new { token })))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        foreach (var path in new[] { "api/insight/summary", "api/insight/answers.csv", "advisors/insight", "api/privacy/requests" })
        {
            using var response = await advisor.GetAsync(path);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var (_, coordinator) = await SignedInAdvisorAsync(app);
        using (var page = await coordinator.GetAsync("advisors/insight"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<h1 class=\"site-header__title\">Insikt</h1>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        foreach (var query in new[] { "from=2026-13-01", "from=2026-02-10&to=2026-02-01", "from=2020-01-01&to=2026-01-01", "to=igår" })
        {
            using var response = await coordinator.GetAsync("api/insight/summary?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }

        // No period: the last 30 days up to today on the host's clock.
        var last30 = (await coordinator.GetFromJsonAsync<JsonObject>("api/insight/summary"))!;
        Assert.Equal(Day(_clock.GetUtcNow()), last30["to"]!.GetValue<string>());
        Assert.Equal(Day(_clock.GetUtcNow().AddDays(-29)), last30["from"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task RealTurns_LeaveTheAnswerAudit_AndMaskedUnansweredQuestions_ThatInsightCounts(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = App(database);
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        foreach (var line in new[] { "Hur skaffar jag ett EORI-nummer?", "nej", "avbryt", "Vilken fotbollsklubb vann allsvenskan förra året? /kalle@exempel.se 070-123 45 67" })
        {
            using var response = await chat.PostMessageAsync(line, Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await app.Services.GetRequiredService<AnswerRecordBuffer>().FlushAsync();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync())
        {
            var records = await db.AnswerRecords.AsNoTracking().OrderBy(r => r.Id).ToListAsync();
            Assert.Equal(["answer", "handoff", "out_of_scope"], records.Select(r => r.Action));
            Assert.All(records, r => Assert.Equal(chat.ConversationId, r.ConversationId));
            Assert.All(records, r => Assert.Equal(TestUnderstandingRevision, r.KnowledgeRevision));
            Assert.Equal(("customs-eori", "classifier"), (records[0].TopicId, records[0].Decision));

            var questions = await db.UnansweredQuestions.AsNoTracking().OrderBy(q => q.Id).ToListAsync();
            Assert.Equal(["not_helped", "out_of_scope"], questions.Select(q => q.Reason));
            Assert.Equal("Hur skaffar jag ett EORI-nummer?", questions[0].Text);
            Assert.Equal("Vilken fotbollsklubb vann allsvenskan förra året? /[e-post] [telefon]", questions[1].Text);
        }

        var (_, http) = await SignedInAdvisorAsync(app);
        var summary = (await http.GetFromJsonAsync<JsonObject>($"api/insight/summary?from={Day(_clock.GetUtcNow())}&to={Day(_clock.GetUtcNow())}"))!;
        Assert.Equal(1, summary["conversations"]!.GetValue<int>());
        var texts = summary["unanswered"]!.AsArray().SelectMany(g => g!["questions"]!.AsArray()).Select(q => q!["text"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain(texts, t => t.Contains("kalle@", StringComparison.Ordinal) || t.Contains("070", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retention_DeletesTheAnswerAuditAndTheUnansweredQuestions_AfterTheirOwnPeriods()
    {
        using var app = App(settings: new() { ["Retention:AnswerRecords"] = "20.00:00:00", ["Retention:UnansweredQuestions"] = "10.00:00:00" });
        await SeedAsync(app);
        var factory = app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();
        int records, questions;
        await using (var db = await factory.CreateDbContextAsync())
        {
            (records, questions) = (await db.AnswerRecords.CountAsync(), await db.UnansweredQuestions.CountAsync());
        }

        _clock.SetUtcNow(Friday(14).AddDays(15));
        var first = await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.Equal((0, questions), (first.AnswerRecords, first.UnansweredQuestions));

        _clock.SetUtcNow(Friday(14).AddDays(30));
        var second = await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.Equal(records, second.AnswerRecords);
        await using (var db = await factory.CreateDbContextAsync())
        {
            Assert.Equal((0, 0), (await db.AnswerRecords.CountAsync(), await db.UnansweredQuestions.CountAsync()));
        }
    }

    [Fact]
    public async Task KbReport_WritesEveryPart_WithEntriesPastReview_AndTheUnansweredQuestionsGrouped()
    {
        using var app = App();
        await SeedAsync(app);
        // 390 days on, every entry is past its yearly review, and the seeded questions are within the report's 400 days.
        _clock.SetUtcNow(Friday(14).AddDays(390));
        var folder = Directory.CreateTempSubdirectory("exportcenter-kb-report-").FullName;
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await ExportCenter.Bot.Commands.KbReportCommand.RunAsync(app.Services, ["kb", "report", "--out", folder, "--days", "400", "--folds", "2"], output, error);
            Assert.True(exit == 0, error.ToString());
            Assert.Equal(["confusions.csv", "parity.csv", "readability.csv", "report.md", "review.csv", "unanswered.csv"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            var report = await File.ReadAllTextAsync(Path.Combine(folder, "report.md"));
            foreach (var heading in new[] { "## Granskning", "## Översättningar", "## Läsbarhet", "## Exempelfraser som förväxlas", "## Frågor chatten inte kunde svara på" })
            {
                Assert.Contains(heading, report, StringComparison.Ordinal);
            }

            var knowledge = ExportCenter.Testing.TrainedUnderstanding.KnowledgeBase;
            var review = (await File.ReadAllLinesAsync(Path.Combine(folder, "review.csv"))).Skip(1).ToList();
            Assert.Equal(knowledge.Topics.Count + knowledge.Organisations.Count, review.Count);
            Assert.All(review, line => Assert.EndsWith(",past", line, StringComparison.Ordinal));
            Assert.Contains("### Tullverket", report, StringComparison.Ordinal);
            var readability = (await File.ReadAllLinesAsync(Path.Combine(folder, "readability.csv"))).Skip(1).ToList();
            Assert.Contains(readability, l => l.StartsWith("customs-eori,answer.sv,sv,", StringComparison.Ordinal));
            Assert.True((await File.ReadAllLinesAsync(Path.Combine(folder, "confusions.csv"))).Length > 1);
            // The seeded unanswered questions, two of them one group.
            var unanswered = (await File.ReadAllLinesAsync(Path.Combine(folder, "unanswered.csv"))).Skip(1).ToList();
            Assert.Equal(3, unanswered.Count);
            Assert.Equal(2, unanswered.Count(l => l.StartsWith("1,2,", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The revision of the repository's knowledge base as the test process loaded it.</summary>
    private static string TestUnderstandingRevision => ExportCenter.Testing.TrainedUnderstanding.KnowledgeBase.Revision;

    private BotApp App(TestDatabase? database = null, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(database?.Settings ?? []) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return new BotApp(all, s => s.AddSingleton<TimeProvider>(_clock));
    }

    /// <summary>
    /// Three conversations from Friday 14:00 over the weekend (and one the day before), four tickets of almi and een
    /// claimed after 2, 20 and 25 working hours (the last after its deadline) and one left open, answers to "did this
    /// help?", and three unanswered questions of which two ask the same.
    /// </summary>
    private static async Task SeedAsync(BotApp app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var deadlines = app.Services.GetRequiredService<TicketDeadlinePolicy>();
        AnswerRecord Record(string conversation, DateTimeOffset at, string action, string? topic) => new()
        {
            At = at,
            ChannelId = "directline",
            ConversationId = conversation,
            Action = action,
            Decision = "classifier",
            TopicId = topic,
            Language = "sv",
            KnowledgeRevision = "seeded",
        };
        db.AnswerRecords.AddRange(
            Record("day-before", Friday(10).AddDays(-1), "answer", "payment-risk"),
            Record("a", Friday(14, 5), "answer", "customs-eori"),
            Record("a", Friday(14, 6), "answer", "customs-eori"),
            Record("b", Friday(15), "clarify", null),
            Record("b", Friday(15).AddDays(1), "out_of_scope", null),
            Record("c", Monday(9), "answer", "trade-fairs"),
            Record("after", Monday(14).AddDays(1), "answer", "payment-risk"));
        db.AnswerFeedback.AddRange(
            new AnswerFeedbackRecord { TopicId = "customs-eori", Helped = true, Language = "sv", At = Friday(14, 7) },
            new AnswerFeedbackRecord { TopicId = "customs-eori", Helped = true, Language = "sv", At = Friday(15) },
            new AnswerFeedbackRecord { TopicId = "customs-eori", Helped = false, Language = "sv", At = Friday(16) });
        var created = Friday(14);
        var due = deadlines.DeadlineFor(created);
        Assert.Equal(TestClock.MondayDeadline, due);
        db.Tickets.AddRange(
            Ticket(1, created, due, "almi", claimed: Friday(16), resolved: Monday(10)),
            Ticket(2, created, due, "almi", claimed: Monday(10)),
            Ticket(3, created, due, "een", claimed: Monday(15), breached: Monday(14)),
            Ticket(4, Friday(14, 30), deadlines.DeadlineFor(Friday(14, 30)), "een"),
            Ticket(5, Friday(10).AddDays(-1), deadlines.DeadlineFor(Friday(10).AddDays(-1)), "almi"));
        UnansweredQuestion Question(DateTimeOffset at, string reason, string? topic, string text) => new()
        {
            At = at,
            ChannelId = "directline",
            ConversationId = "b",
            Reason = reason,
            TopicId = topic,
            Language = "sv",
            Text = text,
        };
        db.UnansweredQuestions.AddRange(
            Question(Friday(15), "clarify", "trade-fairs", "Kan vi få bidrag för en mässa i Tyskland?"),
            Question(Friday(16), "not_helped", "trade-fairs", "kan vi få bidrag till en mässa i tyskland"),
            Question(Friday(17), "out_of_scope", null, "=HYPERLINK(\"http://example.com\") vem vann allsvenskan i fotboll"));
        await db.SaveChangesAsync();
    }

    private static Ticket Ticket(int n, DateTimeOffset created, DateTimeOffset due, string organisation, DateTimeOffset? claimed = null, DateTimeOffset? resolved = null, DateTimeOffset? breached = null) => new()
    {
        Number = TestClock.Ticket(n),
        Status = resolved is not null ? TicketStatus.Resolved : claimed is not null ? TicketStatus.Claimed : TicketStatus.Open,
        CreatedAt = created,
        DueAt = due,
        ClaimedAt = claimed,
        ResolvedAt = resolved,
        BreachedAt = breached,
        TopicId = "customs-eori",
        SuggestedOrganisationId = organisation,
        Language = "sv",
        CompanyName = $"Företag {n} AB",
        ContactPerson = "Anna Berg",
        Email = $"anna{n}@example.se",
        Municipality = "Falun",
        PreferredLanguage = "sv",
        Summary = "En fråga",
        ChannelId = "directline",
        ConversationId = "conversation-" + n,
        ConversationReference = "{}",
        TranscriptExcerpt = string.Empty,
    };
}
