using ExportCenter.Bot.Channels;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// Moving the advisors' channel to a newer Teams installation. Without <c>Teams:TeamId</c>, an installation
/// elsewhere in the tenant does not take over a working channel, because the companies' details would follow
/// it to whoever installed the bot: it is kept as pending (<see cref="Channels.Teams.TeamsGate"/>), the current
/// channel is told, and a coordinator moves the channel by writing "bekräfta kanalbyte" there (in Teams
/// mentioning the bot; on the local page as it is).
/// </summary>
public sealed partial class AdvisorChannelMove(AdvisorChannelRegistry registry, AdvisorDelivery delivery, ILogger<AdvisorChannelMove> logger)
{
    /// <summary>Whether an advisor's text is the confirmation ("Bekräfta kanalbyte." counts too).</summary>
    public static bool IsConfirmation(string? text) =>
        string.Equals(text?.Trim().TrimEnd('.', '!'), AdvisorChannelRegistry.ConfirmMoveCommand, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Tells the advisors' current channel that an installation waits for a coordinator. Should Teams or the page
    /// not take the notice, the installation still waits, and its own channel has said what it takes.
    /// (Notices are not in the outbox: they carry no company data and a lost one loses nothing stored.)
    /// </summary>
    public async Task AnnouncePendingAsync(string? teamName, CancellationToken cancellationToken)
    {
        if (await registry.GetAsync(cancellationToken) is { } current)
        {
            await TryPostNoticeAsync(current, AdvisorTexts.ChannelMovePending(teamName, current.ChannelId == AdvisorChannelRegistry.TeamsChannel), cancellationToken);
        }
    }

    /// <summary>Moves the channel to the pending installation when a coordinator asks; anyone else is told who can.</summary>
    public async Task ConfirmAsync(ITurnContext turn, Advisor advisor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(advisor);
        if (!advisor.IsCoordinator)
        {
            await turn.SendActivityAsync(AdvisorTurns.PlainText(AdvisorTexts.OnlyCoordinatorMovesChannel), cancellationToken);
            return;
        }

        var moved = await registry.ConfirmPendingAsync(cancellationToken);
        await turn.SendActivityAsync(AdvisorTurns.PlainText(moved is null ? AdvisorTexts.NoChannelMovePending : AdvisorTexts.ChannelMoved), cancellationToken);
        if (moved is not null)
        {
            LogMoved(logger, advisor.Id);
            await TryPostNoticeAsync(moved, Channels.Teams.TeamsGate.Greeting, cancellationToken);
        }
    }

    private async Task TryPostNoticeAsync(AdvisorChannel channel, string text, CancellationToken cancellationToken)
    {
        try
        {
            await delivery.PostNoticeAsync(channel, text, cancellationToken);
        }
        catch (Exception ex) when (ex is ErrorResponseException or HttpRequestException or InvalidOperationException)
        {
            LogNoticeFailed(logger, ex.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 8513, Level = LogLevel.Warning, Message = "Could not post a notice about moving the advisors' channel ({Error}); the move itself is stored.")]
    private static partial void LogNoticeFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 8514, Level = LogLevel.Information, Message = "Advisor {AdvisorId}, a coordinator, moved the advisors' channel to the pending Teams installation.")]
    private static partial void LogMoved(ILogger logger, long advisorId);
}
