using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Tickets;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Understanding;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Insight;

/// <summary>A period of whole days in Swedish time, both ends included.</summary>
public sealed record InsightPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The longest period asked at once.</summary>
    public const int MaxDays = 400;

    /// <summary>Reads <c>from</c> and <c>to</c> (yyyy-MM-dd); both missing is the last 30 days up to today.</summary>
    public static bool TryParse(string? from, string? to, DateOnly today, out InsightPeriod period, out string? problem)
    {
        period = new InsightPeriod(today.AddDays(-29), today);
        problem = null;
        var f = period.From;
        var t = period.To;
        if (!string.IsNullOrEmpty(from) && !DateOnly.TryParseExact(from, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out f))
        {
            problem = "'from' must be a date written yyyy-MM-dd.";
            return false;
        }

        if (!string.IsNullOrEmpty(to) && !DateOnly.TryParseExact(to, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out t))
        {
            problem = "'to' must be a date written yyyy-MM-dd.";
            return false;
        }

        if (string.IsNullOrEmpty(from) && !string.IsNullOrEmpty(to))
        {
            f = t.AddDays(-29);
        }

        if (t < f)
        {
            problem = "'to' must not be before 'from'.";
            return false;
        }

        if (t.DayNumber - f.DayNumber + 1 > MaxDays)
        {
            problem = $"A period may be at most {MaxDays} days.";
            return false;
        }

        period = new InsightPeriod(f, t);
        return true;
    }
}

public sealed record ActionCount(string Action, string Label, int Count);

public sealed record TopicHelped(string TopicId, string Title, int Yes, int No);

public sealed record TicketCounts(int Created, int Claimed, int Resolved);

/// <summary>
/// Of the tickets created in the period for an organisation and claimed or past their deadline, how many were claimed by
/// their deadline.
/// </summary>
public sealed record OrganisationClaims(string OrganisationId, string Name, int Tickets, int ClaimedInTime, double Share);

public sealed record TopicCount(string TopicId, string Title, int Count);

public sealed record ReasonCount(string Reason, string Label, int Count);

/// <summary>One unanswered question as kept (masked).</summary>
public sealed record UnansweredText(string Text, string Language, string Reason);

/// <summary>A group of similar unanswered questions (masked); the topic the bot guessed most often, if any.</summary>
public sealed record UnansweredGroupView(int Group, string Representative, int Count, IReadOnlyList<ReasonCount> Reasons, string? TopicId, string? TopicTitle, IReadOnlyList<UnansweredText> Questions);

/// <summary>Everything the insight page shows for one period.</summary>
public sealed record InsightSummary(
    DateOnly From,
    DateOnly To,
    int Conversations,
    IReadOnlyList<ActionCount> AnswersByAction,
    IReadOnlyList<TopicHelped> HelpedByTopic,
    TicketCounts Tickets,
    IReadOnlyList<OrganisationClaims> ClaimedWithinDeadline,
    double? MedianWorkingHoursToClaim,
    int Breaches,
    IReadOnlyList<TopicCount> TopTopics,
    IReadOnlyList<UnansweredGroupView> Unanswered);

/// <summary>
/// The coordinators' figures, read from the answer audit, the answers to "did this help?", the tickets and the unanswered
/// questions. Conversations are counted from the answer audit (in production the chat history is not stored here).
/// Tickets deleted by retention no longer count.
/// </summary>
public sealed class InsightQueries(IDbContextFactory<BotDbContext> dbFactory, KnowledgeBase knowledge, TicketDeadlinePolicy deadlines, TimeProvider time)
{
    /// <summary>How many topics "the top topics" lists.</summary>
    public const int TopTopicCount = 10;

    /// <summary>The most unanswered questions read for grouping in one period (the newest).</summary>
    public const int MaxUnanswered = 5000;

    private static readonly Dictionary<string, string> ActionLabels = new(StringComparer.Ordinal)
    {
        ["answer"] = "Svar",
        ["clarify"] = "Motfråga",
        ["out_of_scope"] = "Utanför uppdraget",
        ["handoff"] = "Till en rådgivare",
        ["smalltalk"] = "Småprat",
        ["status"] = "Fråga om ärendet",
    };

    private static readonly Dictionary<string, string> ReasonLabels = new(StringComparer.Ordinal)
    {
        ["out_of_scope"] = "Utanför uppdraget",
        ["clarify"] = "Motfråga",
        ["not_helped"] = "Svaret hjälpte inte",
    };

    /// <summary>The start (inclusive) and end (exclusive) of the period in UTC.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) Bounds(InsightPeriod period)
    {
        ArgumentNullException.ThrowIfNull(period);
        return (Midnight(period.From), Midnight(period.To.AddDays(1)));
    }

    /// <param name="period">The days to count.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <param name="withUnanswered">Whether to read and group the unanswered questions (the costly part); a CSV of another figure does without.</param>
    public async Task<InsightSummary> SummaryAsync(InsightPeriod period, CancellationToken cancellationToken, bool withUnanswered = true)
    {
        var (start, end) = Bounds(period);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var records = db.AnswerRecords.AsNoTracking().Where(r => r.At >= start && r.At < end);
        var conversations = await records.Select(r => new { r.ChannelId, r.ConversationId }).Distinct().CountAsync(cancellationToken);
        var byAction = (await records.GroupBy(r => r.Action).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .OrderByDescending(a => a.Count).ThenBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => new ActionCount(a.Key, ActionLabels.GetValueOrDefault(a.Key, a.Key), a.Count)).ToList();
        var topics = (await records.Where(r => r.Action == "answer" && r.TopicId != null).GroupBy(r => r.TopicId!).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(cancellationToken))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Key, StringComparer.Ordinal).Take(TopTopicCount)
            .Select(t => new TopicCount(t.Key, Title(t.Key), t.Count)).ToList();

        var helped = (await db.AnswerFeedback.AsNoTracking().Where(f => f.At >= start && f.At < end)
                .GroupBy(f => f.TopicId).Select(g => new { g.Key, Yes = g.Count(f => f.Helped), No = g.Count(f => !f.Helped) }).ToListAsync(cancellationToken))
            .OrderByDescending(h => h.Yes + h.No).ThenBy(h => h.Key, StringComparer.Ordinal)
            .Select(h => new TopicHelped(h.Key, Title(h.Key), h.Yes, h.No)).ToList();

        var tickets = new TicketCounts(
            await db.Tickets.CountAsync(t => t.CreatedAt >= start && t.CreatedAt < end, cancellationToken),
            await db.Tickets.CountAsync(t => t.ClaimedAt >= start && t.ClaimedAt < end, cancellationToken),
            await db.Tickets.CountAsync(t => t.ResolvedAt >= start && t.ResolvedAt < end, cancellationToken));
        var created = await db.Tickets.AsNoTracking().Where(t => t.CreatedAt >= start && t.CreatedAt < end)
            .Select(t => new { t.CreatedAt, t.DueAt, t.ClaimedAt, Organisation = t.AssignedOrganisationId ?? t.SuggestedOrganisationId })
            .ToListAsync(cancellationToken);
        // A ticket still open before its deadline is neither in time nor late yet: it is left out until it is one of them.
        var now = time.GetUtcNow();
        var claims = created.Where(t => t.ClaimedAt is not null || t.DueAt <= now).GroupBy(t => t.Organisation, StringComparer.Ordinal)
            .Select(g =>
            {
                var inTime = g.Count(t => t.ClaimedAt is { } c && c <= t.DueAt);
                return new OrganisationClaims(g.Key, OrganisationName(g.Key), g.Count(), inTime, Math.Round((double)inTime / g.Count(), 3));
            })
            .OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var claimHours = created.Where(t => t.ClaimedAt is not null)
            .Select(t => deadlines.CountedBetween(t.CreatedAt, t.ClaimedAt!.Value).TotalHours).ToList();
        var breaches = await db.Tickets.CountAsync(t => t.BreachedAt >= start && t.BreachedAt < end, cancellationToken);

        return new InsightSummary(period.From, period.To, conversations, byAction, helped, tickets, claims, Median(claimHours), breaches, topics,
            withUnanswered ? await UnansweredAsync(db, start, end, cancellationToken) : []);
    }

    /// <summary>The unanswered questions of the period, grouped by similarity (largest groups first).</summary>
    public async Task<IReadOnlyList<UnansweredGroupView>> UnansweredAsync(InsightPeriod period, CancellationToken cancellationToken)
    {
        var (start, end) = Bounds(period);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await UnansweredAsync(db, start, end, cancellationToken);
    }

    private async Task<IReadOnlyList<UnansweredGroupView>> UnansweredAsync(BotDbContext db, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        var questions = await db.UnansweredQuestions.AsNoTracking().Where(q => q.At >= start && q.At < end)
            .OrderByDescending(q => q.At).ThenByDescending(q => q.Id).Take(MaxUnanswered)
            .Select(q => new { q.Reason, q.TopicId, q.Text, q.Language })
            .ToListAsync(cancellationToken);
        return [.. QuestionGroups.Group(questions, q => q.Text).Select((g, i) =>
        {
            var topic = g.Members.Where(m => m.TopicId is not null).GroupBy(m => m.TopicId!, StringComparer.Ordinal)
                .OrderByDescending(t => t.Count()).ThenBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key).FirstOrDefault();
            var reasons = g.Members.GroupBy(m => m.Reason, StringComparer.Ordinal).OrderByDescending(r => r.Count()).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => new ReasonCount(r.Key, ReasonLabels.GetValueOrDefault(r.Key, r.Key), r.Count())).ToList();
            return new UnansweredGroupView(i + 1, g.Representative, g.Members.Count, reasons, topic, topic is null ? null : Title(topic),
                [.. g.Members.Select(m => new UnansweredText(m.Text, m.Language, m.Reason))]);
        })];
    }

    private DateTimeOffset Midnight(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, deadlines.TimeZone), TimeSpan.Zero);
    }

    private string Title(string topicId) => knowledge.TopicsById.TryGetValue(topicId, out var t) ? t.Title.Sv : topicId;

    private string OrganisationName(string id) => knowledge.OrganisationsById.TryGetValue(id, out var o) ? o.Name.Sv : id;

    private static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        var mid = values.Count / 2;
        var median = values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
        return Math.Round(median, 2);
    }
}
