using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Conversation;

/// <summary>How long one turn may take once accepted (<c>Bot:TurnTimeout</c>).</summary>
public sealed class TurnOptions
{
    public const string SectionName = "Bot";

    /// <summary>The longest a turn may run, whatever the client does meanwhile.</summary>
    public TimeSpan TurnTimeout { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Runs each turn of the bot one at a time per conversation and to its end: once a message is accepted, its turn no
/// longer listens to the request (a company whose browser goes away mid-turn keeps its half-done handoff); only its
/// own timeout and the host shutting down stop it.
/// </summary>
public sealed class SerialTurns(ExportCenterBot bot, IConversationLock locks, IHostApplicationLifetime lifetime, IOptions<TurnOptions> options) : IBot
{
    public async Task OnTurnAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        using var timeout = new CancellationTokenSource(options.Value.TurnTimeout);
        using var turn = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, lifetime.ApplicationStopping);
        var conversationId = turnContext.Activity.Conversation?.Id;
        if (string.IsNullOrEmpty(conversationId))
        {
            await bot.OnTurnAsync(turnContext, turn.Token);
            return;
        }

        await using var held = await locks.AcquireAsync(turnContext.Activity.ChannelId + "|" + conversationId, turn.Token);
        await bot.OnTurnAsync(turnContext, turn.Token);
    }
}
