using ExportCenter.Bot.Testing;

namespace ExportCenter.Bot.Tests.Tickets;

/// <summary>The shared test clock starts on an ordinary Friday, whatever the real date is.</summary>
public sealed class TestClockTests
{
    [Theory]
    [InlineData("2026-12-01T08:00:00Z", "2026-12-04T13:00:00Z")] // an ordinary week
    [InlineData("2026-12-31T23:59:30Z", "2027-01-08T13:00:00Z")] // New Year's Day is a Friday holiday
    [InlineData("2026-12-20T10:00:00Z", "2027-01-08T13:00:00Z")] // Christmas Day, then New Year's Day
    [InlineData("2027-01-04T10:00:00Z", "2027-01-08T13:00:00Z")] // a Monday: the same week's Friday
    [InlineData("2027-03-20T10:00:00Z", "2027-04-02T12:00:00Z")] // Good Friday; summer time from 28 March
    [InlineData("2027-10-22T10:00:00Z", "2027-11-05T13:00:00Z")] // the clocks go back on Sunday 31 October
    public void FirstOrdinaryFriday_SkipsHolidaysAndClockChanges(string now, string expected)
    {
        var friday = TestClock.FirstOrdinaryFridayAfter(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), friday);
        Assert.Equal((DayOfWeek.Friday, 14), (TestClock.Local(friday).DayOfWeek, TestClock.Local(friday).Hour));
    }

    [Fact]
    public void TheDeadlineText_IsTheMondayAfterTheStart()
    {
        Assert.Equal(TestClock.FridayAfternoon.AddDays(3), TestClock.MondayDeadline);
        Assert.StartsWith("måndag ", TestClock.SwedishDeadline, StringComparison.Ordinal);
        Assert.EndsWith(" kl. 14:00", TestClock.SwedishDeadline, StringComparison.Ordinal);
        Assert.StartsWith("Monday ", TestClock.EnglishDeadline, StringComparison.Ordinal);
    }
}
