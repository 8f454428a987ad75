using Microsoft.Extensions.Options;
using PublicHoliday;

namespace ExportCenter.Bot.Tickets;

/// <summary>
/// When a ticket is due. By default the promised 24 hours are counted on working days only, in Swedish
/// local time: weekends, Swedish public holidays and the eves that are days off in practice (midsummer,
/// Christmas and New Year's eve) do not count, so a ticket from Friday 14:00 is due Monday 14:00. The
/// alternative counts 24 calendar hours. Deadlines are stored in UTC and shown in the configured zone.
/// </summary>
public sealed class TicketDeadlinePolicy
{
    private static readonly SwedenPublicHoliday Holidays = new();
    private readonly TicketOptions _options;

    public TicketDeadlinePolicy(IOptions<TicketOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(_options.TimeZone);
    }

    /// <summary>The zone deadlines are counted and shown in.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The deadline (UTC) of a ticket created at <paramref name="created"/>.</summary>
    public DateTimeOffset DeadlineFor(DateTimeOffset created) => After(created, _options.ResponseTime);

    /// <summary>
    /// The moment when <paramref name="share"/> of the counted time to the deadline has passed (the SLA
    /// reminder): counted the same way as the deadline, so 75% of a working day's 24 hours is 18 working hours.
    /// </summary>
    public DateTimeOffset ShareOfResponseTime(DateTimeOffset created, double share) =>
        After(created, TimeSpan.FromTicks((long)(_options.ResponseTime.Ticks * Math.Clamp(share, 0, 1))));

    /// <summary>The instant (UTC) after <paramref name="counted"/> of counted time from <paramref name="start"/>.</summary>
    public DateTimeOffset After(DateTimeOffset start, TimeSpan counted)
    {
        if (_options.DeadlineMode == DeadlineMode.CalendarHours)
        {
            return start.ToUniversalTime() + counted;
        }

        var cursor = TimeZoneInfo.ConvertTime(start, TimeZone).DateTime;
        var remaining = counted;
        while (true)
        {
            var day = DateOnly.FromDateTime(cursor);
            var nextMidnight = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
            if (IsWorkingDay(day))
            {
                var available = nextMidnight - cursor;
                if (available >= remaining)
                {
                    return ToUtc(cursor + remaining);
                }

                remaining -= available;
            }

            cursor = nextMidnight;
        }
    }

    /// <summary>
    /// The counted time from <paramref name="start"/> to <paramref name="end"/>, as the deadline counts it: in working-day
    /// mode only the hours of working days. The inverse of <see cref="After"/>: <c>CountedBetween(s, After(s, t)) == t</c>.
    /// </summary>
    public TimeSpan CountedBetween(DateTimeOffset start, DateTimeOffset end)
    {
        if (end <= start)
        {
            return TimeSpan.Zero;
        }

        if (_options.DeadlineMode == DeadlineMode.CalendarHours)
        {
            return end - start;
        }

        var cursor = TimeZoneInfo.ConvertTime(start, TimeZone).DateTime;
        var last = TimeZoneInfo.ConvertTime(end, TimeZone).DateTime;
        var counted = TimeSpan.Zero;
        while (cursor < last)
        {
            var day = DateOnly.FromDateTime(cursor);
            var nextMidnight = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
            var until = nextMidnight < last ? nextMidnight : last;
            if (IsWorkingDay(day))
            {
                counted += until - cursor;
            }

            cursor = until;
        }

        return counted;
    }

    /// <summary>True unless the day is a weekend day, a Swedish public holiday or a de-facto day off (the eves).</summary>
    public static bool IsWorkingDay(DateOnly day)
    {
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return false;
        }

        var date = day.ToDateTime(TimeOnly.MinValue);
        return !Holidays.IsPublicHoliday(date)
            && date != SwedenPublicHoliday.MidsummerEve(day.Year)
            && date != SwedenPublicHoliday.ChristmasEve(day.Year)
            && date != SwedenPublicHoliday.NewYearsEve(day.Year);
    }

    /// <summary>A UTC instant in the configured zone.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, TimeZone);

    private DateTimeOffset ToUtc(DateTime local)
    {
        // Working days never contain a clock change (Sweden changes on Sunday nights), but guard anyway.
        while (TimeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeZone), TimeSpan.Zero);
    }
}
