using System.Globalization;
using ExportCenter.Bot.Tickets;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// The suite's one starting point in time. No test reads the real date for what it asserts, but a real
/// browser and HttpClient's cookie jar check cookie and token expiry against the machine's clock, so a fake
/// clock cannot start on a fixed day: it starts on the first ordinary Friday after the real "now", at 14:00
/// in Stockholm. "Ordinary" means that the Friday and the Monday after it are working days and that the clock
/// does not change in between, so a 24-working-hour deadline always falls on that Monday at 14:00.
/// Everything a test expects (ticket year, deadline text) is derived from these values.
/// </summary>
public static class TestClock
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>The zone the bot counts deadlines in (Tickets:TimeZone's default).</summary>
    public static TimeZoneInfo Stockholm { get; } = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");

    /// <summary>Friday 14:00 Stockholm time (as UTC), the start of every fake clock.</summary>
    public static DateTimeOffset FridayAfternoon { get; } = FirstOrdinaryFridayAfter(DateTimeOffset.UtcNow);

    /// <summary>The Monday after <see cref="FridayAfternoon"/> at 14:00 Stockholm time: a ticket's deadline.</summary>
    public static DateTimeOffset MondayDeadline { get; } = At(Local(FridayAfternoon).Date.AddDays(3), 14);

    /// <summary>That Monday at 08:00 Stockholm time: 75% of the 24 counted working hours have passed.</summary>
    public static DateTimeOffset MondayReminder { get; } = At(Local(FridayAfternoon).Date.AddDays(3), 8);

    /// <summary>The year in ticket numbers made on <see cref="FridayAfternoon"/> (EXP-yyyy-nnnnn).</summary>
    public static int Year => Local(FridayAfternoon).Year;

    /// <summary>The ticket number the n-th ticket of the test gets.</summary>
    public static string Ticket(int sequence) => string.Create(CultureInfo.InvariantCulture, $"EXP-{Year}-{sequence:D5}");

    /// <summary>How the bot writes the deadline to a Swedish company: "måndag 30 november kl. 14:00".</summary>
    public static string SwedishDeadline => Local(MondayDeadline).ToString("dddd d MMMM 'kl.' HH:mm", Swedish);

    /// <summary>How the bot writes the deadline to an English-speaking company: "Monday 30 November at 14:00".</summary>
    public static string EnglishDeadline => Local(MondayDeadline).ToString("dddd d MMMM 'at' HH:mm", English);

    /// <summary>A new fake clock at <see cref="FridayAfternoon"/>.</summary>
    public static FakeTimeProvider Create() => new(FridayAfternoon);

    /// <summary>A new fake clock some time after <see cref="FridayAfternoon"/>.</summary>
    public static FakeTimeProvider Create(TimeSpan after) => new(FridayAfternoon + after);

    /// <summary>A UTC instant as Stockholm local time.</summary>
    public static DateTimeOffset Local(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Stockholm);

    /// <summary>The first ordinary Friday 14:00 after <paramref name="now"/> (see the type's remarks).</summary>
    public static DateTimeOffset FirstOrdinaryFridayAfter(DateTimeOffset now)
    {
        // Holidays and clock changes rule out a Friday now and then, never for weeks on end.
        var first = Local(now).Date.AddDays(1);
        for (var day = first; day < first.AddDays(70); day = day.AddDays(1))
        {
            if (day.DayOfWeek == DayOfWeek.Friday)
            {
                var friday = At(day, 14);
                var monday = At(day.AddDays(3), 14);
                if (TicketDeadlinePolicy.IsWorkingDay(DateOnly.FromDateTime(day))
                    && TicketDeadlinePolicy.IsWorkingDay(DateOnly.FromDateTime(day.AddDays(3)))
                    && Stockholm.GetUtcOffset(friday) == Stockholm.GetUtcOffset(monday))
                {
                    return friday;
                }
            }
        }

        throw new InvalidOperationException($"No ordinary Friday in the ten weeks after {now:O}: check TicketDeadlinePolicy's holidays.");
    }

    private static DateTimeOffset At(DateTime localDay, int hour)
    {
        var local = DateTime.SpecifyKind(localDay.Date.AddHours(hour), DateTimeKind.Unspecified);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, Stockholm), TimeSpan.Zero);
    }
}
