using System.Text.Json.Nodes;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>Hands an activity the embedded channel received to the bot, in process.</summary>
public sealed class EmbeddedBotDelivery(EmbeddedChannelAdapter adapter, IBot bot)
{
    /// <summary>
    /// Runs the bot's turn for <paramref name="activity"/>, whose schema the channel checked at its edge
    /// (<see cref="ActivitySchema"/>). <paramref name="clientKey"/> is the opaque key of the client address
    /// (<see cref="ClientAddressKey"/>); it reaches the turn through the turn state, never the stored activity.
    /// </summary>
    public Task DeliverAsync(JsonObject activity, string? clientKey, CancellationToken cancellationToken) =>
        adapter.DeliverAsync(ActivitySchema.ToBotActivity(activity), (turn, ct) =>
        {
            TurnClient.Set(turn, clientKey);
            return bot.OnTurnAsync(turn, ct);
        }, cancellationToken);
}
