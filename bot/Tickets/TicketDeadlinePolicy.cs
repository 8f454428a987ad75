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
    public DateTimeOffset DeadlineFor(DateTimeOffset created)
    {
        if (_options.DeadlineMode == DeadlineMode.CalendarHours)
        {
            return created.ToUniversalTime() + _options.ResponseTime;
        }

        var cursor = TimeZoneInfo.ConvertTime(created, TimeZone).DateTime;
        var remaining = _options.ResponseTime;
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
