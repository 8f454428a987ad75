using ExportCenter.Bot.Tickets;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.Bot.Builder;

namespace ExportCenter.Bot.Advisors;

/// <summary>What advisors get back when they write to the bot in Teams or on the local page.</summary>
public sealed class AdvisorAnswers(TicketDesk desk, TicketQueries tickets, KnowledgeBase knowledge, TicketDeadlinePolicy deadlines)
{
    /// <summary>The open tickets, and how to answer one on this channel.</summary>
    public async Task SendOverviewAsync(ITurnContext turn, string howToAnswer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var overview = AdvisorTexts.Overview(await tickets.OpenAsync(15, cancellationToken), knowledge, deadlines.TimeZone);
        await turn.SendActivityAsync(AdvisorTurns.PlainText(overview + "\n\n" + howToAnswer), cancellationToken);
    }

    /// <summary>Sends the advisor's text to the ticket's company; only a refusal is answered (the card shows the rest).</summary>
    public async Task ReplyToCompanyAsync(ITurnContext turn, TicketActor actor, string number, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var replied = await desk.ReplyAsync(actor, number, text, cancellationToken);
        if (!replied.Done)
        {
            await turn.SendActivityAsync(MessageFactory.Text(AdvisorTexts.Result(replied, knowledge)), cancellationToken);
        }
    }
}
