using System.Text.RegularExpressions;
using ExportCenter.Bot.Tickets;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// Advisors at work on the local advisors' page: card actions, and free text to a company ("EXP-2026-00001
/// text" goes to that ticket, anything else to the advisor's only live ticket; a coordinator's "bekräfta
/// kanalbyte" moves the advisors' channel to a pending Teams installation). The embedded channel stamps
/// the signed-in advisor's id from the page token (<see cref="LocalAdvisorId"/>).
/// </summary>
public sealed partial class LocalAdvisorTurns(TicketDesk desk, TicketQueries tickets, AdvisorDirectory directory, AdvisorAnswers answers, AdvisorChannelMove moves, KnowledgeBase knowledge)
{
    public async Task OnTurnAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (activity.Type != ActivityTypes.Message)
        {
            return;
        }

        var advisor = LocalAdvisorId.TryParse(activity.From?.Id, out var advisorId) ? await directory.FindAsync(advisorId, cancellationToken) : null;
        if (advisor is null)
        {
            await turn.SendActivityAsync(MessageFactory.Text(AdvisorTexts.SignInFirst), cancellationToken);
            return;
        }

        var actor = advisor.Acting(TicketSource.AdvisorsPage);
        var action = CardActions.Read(activity);
        if (action is not null)
        {
            var result = await desk.ActAsync(actor, action, cancellationToken);
            await turn.SendActivityAsync(MessageFactory.Text(AdvisorTexts.Result(result, knowledge)), cancellationToken);
            return;
        }

        var text = activity.Text?.Trim() ?? string.Empty;
        if (AdvisorChannelMove.IsConfirmation(text))
        {
            await moves.ConfirmAsync(turn, advisor, cancellationToken);
            return;
        }

        string? number = null;
        var match = TicketPrefix().Match(text);
        if (match.Success)
        {
            number = match.Groups["number"].Value.ToUpperInvariant();
            text = text[match.Length..].Trim();
        }
        else if (await tickets.LiveTicketsOfAsync(advisor.Id, cancellationToken) is [var only])
        {
            number = only;
        }

        if (number is null || text.Length == 0)
        {
            await answers.SendOverviewAsync(turn, AdvisorTexts.HowToAnswerOnPage, cancellationToken);
            return;
        }

        await answers.ReplyToCompanyAsync(turn, actor, number, text, cancellationToken);
    }

    [GeneratedRegex(@"^\s*(?<number>EXP-\d{4}-\d{5})\b[\s:,.-]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TicketPrefix();
}
