using System.Text.Json.Nodes;
using Microsoft.Bot.Builder;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>Hands an activity the embedded channel received to the bot, in process.</summary>
public sealed class EmbeddedBotDelivery(EmbeddedChannelAdapter adapter, IBot bot)
{
    /// <summary>Runs the bot's turn; the channel checked the activity's schema at its edge (<see cref="ActivitySchema"/>).</summary>
    public Task DeliverAsync(JsonObject activity, CancellationToken cancellationToken) =>
        adapter.DeliverAsync(ActivitySchema.ToBotActivity(activity), bot.OnTurnAsync, cancellationToken);
}
