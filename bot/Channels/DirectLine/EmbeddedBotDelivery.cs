using System.Text.Json.Nodes;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>Hands an activity the embedded channel received to the bot, in process.</summary>
public sealed class EmbeddedBotDelivery(EmbeddedChannelAdapter adapter, IBot bot)
{
    private static readonly JsonSerializerSettings Settings = new() { NullValueHandling = NullValueHandling.Ignore, MaxDepth = 64 };

    /// <summary>
    /// Runs the bot's turn for <paramref name="activity"/>. <paramref name="clientKey"/> is the opaque key of the
    /// client address (<see cref="ClientAddressKey"/>); it reaches the turn through the turn state, never the
    /// stored activity.
    /// </summary>
    public Task DeliverAsync(JsonObject activity, string? clientKey, CancellationToken cancellationToken)
    {
        var botActivity = JsonConvert.DeserializeObject<Activity>(activity.ToJsonString(), Settings)
            ?? throw new InvalidOperationException("The activity could not be read as a Bot Framework activity.");
        return adapter.DeliverAsync(botActivity, (turn, ct) =>
        {
            TurnClient.Set(turn, clientKey);
            return bot.OnTurnAsync(turn, ct);
        }, cancellationToken);
    }
}
