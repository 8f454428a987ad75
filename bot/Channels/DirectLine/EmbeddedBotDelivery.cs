using System.Text.Json.Nodes;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>Hands an activity the embedded channel received to the bot, in process.</summary>
public sealed class EmbeddedBotDelivery(EmbeddedChannelAdapter adapter, IBot bot)
{
    private static readonly JsonSerializerSettings Settings = new() { NullValueHandling = NullValueHandling.Ignore, MaxDepth = 64 };

    public Task DeliverAsync(JsonObject activity, CancellationToken cancellationToken)
    {
        var botActivity = JsonConvert.DeserializeObject<Activity>(activity.ToJsonString(), Settings)
            ?? throw new InvalidOperationException("The activity could not be read as a Bot Framework activity.");
        return adapter.DeliverAsync(botActivity, bot.OnTurnAsync, cancellationToken);
    }
}
