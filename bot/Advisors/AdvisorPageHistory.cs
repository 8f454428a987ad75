using System.Globalization;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Tickets;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// Where the local advisors' page starts reading its conversation. The conversation holds what was posted to
/// the advisors for as long as retention keeps it, which for an open ticket is as long as it is open; a page
/// that opens reads only the last <see cref="AdvisorOptions.PageHistory"/> of it, and every open ticket's card
/// however old: a card posted before that is moved forward unchanged, so that it arrives from the page's
/// watermark (an open page that has it already replaces it by its id).
/// </summary>
public sealed class AdvisorPageHistory(DirectLineConversationStore conversations, TicketQueries tickets, IOptions<AdvisorOptions> options, TimeProvider time)
{
    /// <summary>The watermark a page opening now starts from, as the Direct Line client passes it on.</summary>
    public async Task<string> StartWatermarkAsync(string conversationId, CancellationToken cancellationToken)
    {
        var watermark = await conversations.WatermarkBeforeAsync(conversationId, time.GetUtcNow() - options.Value.PageHistory, cancellationToken);
        var openCards = await tickets.OpenCardsInAsync(conversationId, cancellationToken);
        await conversations.BringForwardAsync(conversationId, openCards, watermark, cancellationToken);
        return watermark.ToString(CultureInfo.InvariantCulture);
    }
}
