using System.Globalization;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// The user id the embedded channel stamps on a signed-in advisor's messages ("advisor:42"). Only an
/// advisor's page token carries it, so a company can never send as an advisor.
/// </summary>
public static class LocalAdvisorId
{
    /// <summary>The prefix of every local advisor's user id.</summary>
    public const string Prefix = "advisor:";

    public static string Format(long advisorId) => Prefix + advisorId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether the user id is a local advisor's (a cheap test before any lookup).</summary>
    public static bool IsAdvisor(string? userId) => userId?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public static bool TryParse(string? userId, out long advisorId)
    {
        advisorId = 0;
        return IsAdvisor(userId) && long.TryParse(userId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out advisorId);
    }
}
