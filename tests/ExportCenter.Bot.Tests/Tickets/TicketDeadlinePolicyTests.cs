using CsCheck;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.Language;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Tickets;

public sealed class TicketDeadlinePolicyTests
{
    private static readonly TicketDeadlinePolicy WorkingDays = new(Options.Create(new TicketOptions()));
    private static readonly TicketDeadlinePolicy Calendar = new(Options.Create(new TicketOptions { DeadlineMode = DeadlineMode.CalendarHours }));

    [Theory]
    [InlineData("2026-11-27 14:00", "2026-11-30 14:00")] // Friday afternoon -> Monday
    [InlineData("2026-11-25 09:30", "2026-11-26 09:30")] // an ordinary Wednesday
    [InlineData("2026-11-28 10:00", "2026-12-01 00:00")] // Saturday: counting starts Monday 00:00
    [InlineData("2027-03-25 10:00", "2027-03-30 10:00")] // Maundy Thursday -> Good Friday and Easter Monday do not count
    [InlineData("2027-06-24 15:00", "2027-06-28 15:00")] // Thursday before midsummer eve
    [InlineData("2027-06-23 08:00", "2027-06-24 08:00")] // the day before the day before midsummer
    [InlineData("2026-12-23 12:00", "2026-12-28 12:00")] // Christmas eve and day, then the weekend
    [InlineData("2026-12-30 16:00", "2027-01-04 16:00")] // New Year's eve and day, then the weekend
    [InlineData("2027-01-05 11:00", "2027-01-07 11:00")] // the day before Epiphany (a public holiday)
    [InlineData("2026-04-30 13:00", "2026-05-04 13:00")] // before 1 May (Friday)
    [InlineData("2026-06-05 09:00", "2026-06-08 09:00")] // Friday before... Saturday 6 June (national day) is a weekend anyway
    public void WorkingDays_SkipWeekendsHolidaysAndEves(string created, string due)
    {
        var deadline = WorkingDays.DeadlineFor(Local(created));

        Assert.Equal(Local(due), WorkingDays.ToLocal(deadline));
    }

    [Fact]
    public void WorkingDays_AcrossTheSpringClockChange_KeepTheLocalTime()
    {
        var created = Local("2026-03-27 14:00"); // Friday, CET (UTC+1)

        var deadline = WorkingDays.DeadlineFor(created);

        Assert.Equal(new DateTimeOffset(2026, 3, 30, 12, 0, 0, TimeSpan.Zero), deadline); // Monday 14:00 CEST
        Assert.Equal(TimeSpan.Zero, deadline.Offset);
    }

    [Fact]
    public void WorkingDays_AcrossTheAutumnClockChange_KeepTheLocalTime()
    {
        var deadline = WorkingDays.DeadlineFor(Local("2026-10-23 14:00")); // Friday, CEST (UTC+2)

        Assert.Equal(new DateTimeOffset(2026, 10, 26, 13, 0, 0, TimeSpan.Zero), deadline); // Monday 14:00 CET
    }

    [Fact]
    public void CalendarHours_AreTwentyFourRealHours_AlsoOverTheClockChange()
    {
        var created = Local("2026-10-24 14:00"); // Saturday, the night of the change follows

        var deadline = Calendar.DeadlineFor(created);

        Assert.Equal(TimeSpan.FromHours(24), deadline - created);
        Assert.Equal(Local("2026-10-25 13:00"), Calendar.ToLocal(deadline)); // one hour "earlier" on the clock
    }

    [Fact]
    public void CalendarHours_DoNotSkipWeekends() =>
        Assert.Equal(Local("2026-11-28 14:00"), Calendar.ToLocal(Calendar.DeadlineFor(Local("2026-11-27 14:00"))));

    [Fact]
    public void Deadline_FromTheClock_IsInUtc()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 13, 0, 0, TimeSpan.Zero)); // Friday 14:00 local

        var deadline = WorkingDays.DeadlineFor(clock.GetUtcNow());

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 13, 0, 0, TimeSpan.Zero), deadline);
    }

    [Theory]
    [InlineData(ConversationLanguage.Swedish, "senast måndag 30 november kl. 14:00")]
    [InlineData(ConversationLanguage.English, "by Monday 30 November at 14:00")]
    public void Deadline_IsShownAsTheCompanyReadsIt(ConversationLanguage language, string expected) =>
        Assert.Equal(expected, DeadlineText.Format(WorkingDays.ToLocal(WorkingDays.DeadlineFor(Local("2026-11-27 14:00"))), language));

    [Theory]
    [InlineData("2026-11-27 14:00", "2026-11-27 16:00", 2)] // Friday afternoon
    [InlineData("2026-11-27 14:00", "2026-11-30 10:00", 20)] // Friday 14-24 and Monday 0-10; the weekend does not count
    [InlineData("2026-12-23 12:00", "2026-12-28 12:00", 24)] // over Christmas
    [InlineData("2026-11-28 10:00", "2026-11-29 10:00", 0)] // inside a weekend
    [InlineData("2026-11-30 10:00", "2026-11-27 14:00", 0)] // the end before the start
    public void CountedBetween_CountsOnlyWorkingDays(string start, string end, double hours)
    {
        Assert.Equal(TimeSpan.FromHours(hours), WorkingDays.CountedBetween(Local(start), Local(end)));
        Assert.Equal(Local(end) > Local(start) ? Local(end) - Local(start) : TimeSpan.Zero, Calendar.CountedBetween(Local(start), Local(end)));
    }

    [Fact]
    public void CountedBetween_UndoesAfter_ForAnyStartAndLength()
    {
        // Whole minutes from 2026 to 2029 (holidays, eves and both clock changes) and up to 300 counted hours.
        var from = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Gen.Select(Gen.Int[0, 3 * 365 * 24 * 60], Gen.Int[0, 300 * 60]).Sample((start, minutes) =>
        {
            var s = from.AddMinutes(start);
            var counted = TimeSpan.FromMinutes(minutes);
            Assert.Equal(counted, WorkingDays.CountedBetween(s, WorkingDays.After(s, counted)));
        }, iter: 2000);
    }

    private static DateTimeOffset Local(string text)
    {
        var local = DateTime.ParseExact(text, "yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return new DateTimeOffset(local, WorkingDays.TimeZone.GetUtcOffset(local));
    }
}
