using System.Globalization;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>A deadline as the company reads it: "senast måndag 30 november kl. 14:00" / "by Monday 30 November at 14:00".</summary>
public static class DeadlineText
{
    private static readonly CultureInfo Swedish = CultureInfo.GetCultureInfo("sv-SE");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    /// <summary>Formats a deadline already converted to the local time zone.</summary>
    public static string Format(DateTimeOffset local, ConversationLanguage language) => language == ConversationLanguage.Swedish
        ? "senast " + local.ToString("dddd d MMMM 'kl.' HH:mm", Swedish)
        : "by " + local.ToString("dddd d MMMM 'at' HH:mm", English);
}
