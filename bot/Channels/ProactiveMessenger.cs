using ExportCenter.Bot.Channels.BotFramework;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Channels.Teams;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Channels;

/// <summary>A conversation the bot writes into on its own: the channel, its Bot Connector and the conversation.</summary>
public sealed record ChannelAddress(string ChannelId, string ServiceUrl, string ConversationId, string? TenantId);

/// <summary>A new post in a Teams channel: its thread's conversation id and the root message's id.</summary>
public sealed record TeamsPost(string ConversationId, string ActivityId);

/// <summary>An open Teams Bot Connector (<see cref="ProactiveMessenger.OpenTeamsAsync"/>) for new posts in a channel.</summary>
public sealed class TeamsConnection(IConnectorClient client, string appId) : IDisposable
{
    /// <summary>
    /// Starts a new post in a Teams channel with one request (Bot Connector's create conversation) and returns its
    /// conversation, the post's thread, as soon as Teams answers: nothing runs in between, so the caller can record it
    /// at once. The connector has no idempotency key, so a request repeated after a lost answer makes a second post.
    /// </summary>
    public async Task<TeamsPost> CreatePostAsync(string? tenantId, string teamsChannelId, Activity activity, CancellationToken cancellationToken)
    {
        var parameters = new ConversationParameters
        {
            IsGroup = true,
            ChannelData = new JObject { ["channel"] = new JObject { ["id"] = teamsChannelId } },
            Activity = activity,
            TenantId = tenantId,
            Bot = new ChannelAccount("28:" + appId),
        };
        var created = await client.Conversations.CreateConversationAsync(parameters, cancellationToken);
        if (string.IsNullOrEmpty(created?.Id))
        {
            throw new InvalidOperationException("Teams created the post without a conversation id.");
        }

        // The post's conversation is its thread, "19:…;messageid=<id of the root message>".
        return new TeamsPost(created.Id, TeamsConversationId.Parse(created.Id).MessageId ?? created.ActivityId ?? created.Id);
    }

    public void Dispose() => client.Dispose();
}

/// <summary>
/// Sends, updates and starts conversations on the bot's own initiative (proactive messages). It chooses the
/// adapter by the service URL: the embedded channel's in-process connector, or Azure's Bot Connector through
/// the authenticated /api/messages adapter. A failure inside the proactive turn is thrown to the caller
/// (see <see cref="FailureBox"/>), so the outbox retries it instead of taking it as delivered.
/// </summary>
public sealed class ProactiveMessenger(EmbeddedChannelAdapter embedded, BotMessagesAdapter botMessages, IConfiguration configuration)
{
    private string AppId => configuration["MicrosoftAppId"] ?? string.Empty;

    private string Audience => configuration["ToChannelFromBotOAuthScope"] is { Length: > 0 } scope ? scope : AuthenticationConstants.ToChannelFromBotOAuthScope;

    /// <summary>Sends an activity and returns the id the channel gave it.</summary>
    public Task<string> SendAsync(ChannelAddress to, IActivity activity, CancellationToken cancellationToken) =>
        SendAsync(to, activity, retainWith: null, cancellationToken);

    /// <summary>
    /// Sends an activity and returns the id the channel gave it. In the embedded channel it is kept for as long
    /// as what <paramref name="retainWith"/> names (an opaque key; the advisors' page gives a ticket number), so
    /// retention deletes it with that; other channels keep their own history and are not told.
    /// </summary>
    public async Task<string> SendAsync(ChannelAddress to, IActivity activity, string? retainWith, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        if (retainWith is not null && IsEmbedded(to.ServiceUrl) && activity is Activity tagged)
        {
            tagged.Properties ??= [];
            tagged.Properties[EmbeddedConnectorHandler.RetainWithProperty] = retainWith;
        }

        string? id = null;
        await ContinueAsync(to, async (turn, ct) => id = (await turn.SendActivityAsync(activity, ct))?.Id, cancellationToken);
        return string.IsNullOrEmpty(id) ? throw new InvalidOperationException("The channel returned no activity id.") : id;
    }

    /// <summary>Replaces a sent activity (its id is <paramref name="activity"/>'s id).</summary>
    public Task UpdateAsync(ChannelAddress to, IActivity activity, CancellationToken cancellationToken) =>
        ContinueAsync(to, (turn, ct) => turn.UpdateActivityAsync(activity, ct), cancellationToken);

    /// <summary>Runs a proactive turn in a stored conversation (a company's, from its conversation reference).</summary>
    public async Task ContinueAsync(ConversationReference reference, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var failure = new FailureBox();
        await (IsEmbedded(reference.ServiceUrl)
            ? embedded.ContinueConversationAsync(string.Empty, reference, failure.Capture(callback), cancellationToken)
            : botMessages.ContinueConversationAsync(AppId, reference, failure.Capture(callback), cancellationToken));
        failure.ThrowIfFailed();
    }

    /// <summary>Starts a new post in a Teams channel and returns its conversation (the post's thread).</summary>
    public async Task<TeamsPost> CreateTeamsPostAsync(string serviceUrl, string? tenantId, string teamsChannelId, Activity activity, CancellationToken cancellationToken)
    {
        using var teams = await OpenTeamsAsync(serviceUrl, cancellationToken);
        return await teams.CreatePostAsync(tenantId, teamsChannelId, activity, cancellationToken);
    }

    /// <summary>
    /// Opens a Teams Bot Connector for new channel posts with the bot's token already fetched, so that what can fail
    /// before a request leaves (the client, the token) fails before the caller records that a post is under way.
    /// </summary>
    public async Task<TeamsConnection> OpenTeamsAsync(string serviceUrl, CancellationToken cancellationToken)
    {
        var client = await botMessages.CreateConnectorClientAsync(AppId, serviceUrl, Audience, cancellationToken);
        try
        {
            if (client.Credentials is AppCredentials credentials && !string.IsNullOrEmpty(credentials.MicrosoftAppId))
            {
                await credentials.GetTokenAsync();
            }

            return new TeamsConnection(client, AppId);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private Task ContinueAsync(ChannelAddress to, BotCallbackHandler callback, CancellationToken cancellationToken)
    {
        var teams = to.ChannelId == AdvisorChannelRegistry.TeamsChannel;
        var reference = new ConversationReference
        {
            ChannelId = to.ChannelId,
            ServiceUrl = to.ServiceUrl,
            Conversation = new ConversationAccount(isGroup: teams, id: to.ConversationId, tenantId: to.TenantId),
            Bot = new ChannelAccount(teams ? "28:" + AppId : "bot"),
        };
        return ContinueAsync(reference, callback, cancellationToken);
    }

    private static bool IsEmbedded(string? serviceUrl) =>
        serviceUrl is not null && serviceUrl.StartsWith(DirectLineActivities.ServiceUrl, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The adapter hands an exception thrown inside a proactive turn to its turn-error handler instead of to
    /// the caller, which would make a failed send look delivered. The callback's failure is kept here and
    /// thrown after the turn.
    /// </summary>
    private sealed class FailureBox
    {
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

        public BotCallbackHandler Capture(BotCallbackHandler callback) => async (turn, ct) =>
        {
            try
            {
                await callback(turn, ct);
            }
            catch (Exception ex)
            {
                // Timeouts (TaskCanceledException) too: the send did not happen and must be retried.
                _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            }
        };

        public void ThrowIfFailed() => _failure?.Throw();
    }
}
