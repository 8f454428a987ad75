using System.Security.Claims;
using ExportCenter.Bot.Channels.BotFramework;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels.Teams;

/// <summary>Who a Teams activity comes from, as far as the channel can vouch for it.</summary>
public sealed record TeamsCaller(bool Authenticated, bool TenantOk, string? TenantId, string? ExpectedTeam, TeamsChannelData? ChannelData)
{
    /// <summary>The Entra object id of a sender the export centre trusts: authenticated, in the tenant, and in the team or allow-listed.</summary>
    public string? TrustedAadObjectId(IActivity activity, TeamsOptions options)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(options);
        if (!Authenticated || !TenantOk)
        {
            return null;
        }

        var aadObjectId = activity.From?.AadObjectId;
        var inTeam = ExpectedTeam is not null && string.Equals(ChannelData?.Team?.Id, ExpectedTeam, StringComparison.Ordinal);
        var allowListed = aadObjectId is not null && options.AllowedAadObjectIds.Contains(aadObjectId, StringComparer.OrdinalIgnoreCase);
        return inTeam || allowListed ? aadObjectId : null;
    }
}

/// <summary>What the bot made of an activity as an installation of the bot in a team.</summary>
public enum TeamsInstallation
{
    /// <summary>Not an installation.</summary>
    None,

    /// <summary>The installed channel is the advisors' channel now.</summary>
    Registered,

    /// <summary>It would move the working advisors' channel, so it waits for a coordinator's confirmation.</summary>
    Pending,

    /// <summary>Outside the tenant or the configured team, or without a channel: nothing changed.</summary>
    Ignored,
}

/// <summary>
/// The Teams channel's own turns and checks: whether an activity passed channel authentication for this bot,
/// from the configured tenant; the bot's installation in the advisors' team (which registers the advisors'
/// channel); and the service URL Teams sends, kept current.
/// </summary>
public sealed partial class TeamsGate(AdvisorChannelRegistry registry, IOptions<TeamsOptions> teams, IConfiguration configuration, ILogger<TeamsGate> logger)
{
    public const string Greeting = "Hej! Här publicerar ExportCenter.Bot nya ärenden från företagen. Ta ett ärende med knappen på kortet; skriv i ärendets tråd och nämn mig, så går meddelandet till företaget.";

    public const string PendingGreeting = "Hej! Rådgivarnas ärenden visas redan på ett annat ställe, så här visas inga ärenden än. En samordnare kan flytta dem hit genom att skriva \"" + AdvisorChannelRegistry.ConfirmMoveCommand + "\" där ärendena visas nu.";

    /// <summary>Identifies the sender and keeps the registered service URL current.</summary>
    public async Task<TeamsCaller> IdentifyAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        var authenticated = IsChannelAuthenticated(turn);
        var channelData = ReadChannelData(activity);
        var tenantId = channelData?.Tenant?.Id ?? activity.Conversation?.TenantId;
        var registration = await registry.GetAsync(cancellationToken);
        var expectedTenant = teams.Value.Tenant ?? registration?.TenantId;
        var expectedTeam = teams.Value.Team ?? registration?.TeamId;
        var tenantOk = authenticated && expectedTenant is not null && string.Equals(tenantId, expectedTenant, StringComparison.OrdinalIgnoreCase);
        if (tenantOk && registration is { ChannelId: AdvisorChannelRegistry.TeamsChannel } && registration.ServiceUrl != activity.ServiceUrl)
        {
            await registry.RefreshServiceUrlAsync(activity.ServiceUrl, expectedTenant!, cancellationToken);
        }

        return new TeamsCaller(authenticated, tenantOk, tenantId, expectedTeam, channelData);
    }

    /// <summary>
    /// Handles the bot's installation in a team. With <c>Teams:TeamId</c> set, only that team's installation
    /// counts, and it registers its channel. Without it, the first installation in the tenant registers its
    /// channel; a later one elsewhere, while the advisors work in Teams or on the local page, would move the
    /// channel (and the companies' details) to whoever installed the bot, so it is only kept as pending until a
    /// coordinator confirms it in the current channel. Reinstalling in the registered channel changes nothing.
    /// </summary>
    public async Task<TeamsInstallation> TryInstallAsync(ITurnContext turn, TeamsCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentNullException.ThrowIfNull(caller);
        var activity = turn.Activity;
        if (!IsInstallation(activity))
        {
            return TeamsInstallation.None;
        }

        var teamId = caller.ChannelData?.Team?.Id;
        var installedChannel = caller.ChannelData?.Settings?.SelectedChannel?.Id ?? caller.ChannelData?.Channel?.Id ?? activity.Conversation?.Id;
        var configuredTeam = teams.Value.Team;
        if (!caller.TenantOk || teamId is null || installedChannel is null || (configuredTeam is not null && configuredTeam != teamId))
        {
            LogInstallationIgnored(logger, caller.Authenticated);
            return TeamsInstallation.Ignored;
        }

        var channel = TeamsConversationId.Parse(installedChannel).Channel;
        var registration = await registry.GetAsync(cancellationToken);
        if (configuredTeam is null && registration is not null && !IsRegistered(registration, teamId, channel))
        {
            await registry.SavePendingTeamsAsync(activity.ServiceUrl, channel, caller.TenantId!, teamId, cancellationToken);
            await GreetAsync(turn, PendingGreeting, cancellationToken);
            return TeamsInstallation.Pending;
        }

        await registry.LearnFromTeamsAsync(activity.ServiceUrl, channel, caller.TenantId!, teamId, "installation", cancellationToken);
        await GreetAsync(turn, Greeting, cancellationToken);
        return TeamsInstallation.Registered;
    }

    private static bool IsRegistered(AdvisorChannel registration, string teamId, string channel) =>
        registration.ChannelId == AdvisorChannelRegistry.TeamsChannel && registration.TeamId == teamId && registration.ConversationId == channel;

    private static async Task GreetAsync(ITurnContext turn, string text, CancellationToken cancellationToken)
    {
        if (turn.Activity.Type == ActivityTypes.InstallationUpdate || turn.Activity.Type == ActivityTypes.ConversationUpdate)
        {
            await turn.SendActivityAsync(MessageFactory.Text(text), cancellationToken);
        }
    }

    public static bool IsInstallation(IActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return (activity.Type == ActivityTypes.InstallationUpdate && activity.AsInstallationUpdateActivity().Action is "add" or "add-upgrade")
            || (activity.Type == ActivityTypes.ConversationUpdate && activity.AsConversationUpdateActivity().MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true);
    }

    /// <summary>Whether a message @mentions the bot.</summary>
    public static bool MentionsBot(IActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.AsMessageActivity().GetMentions().Any(m => m.Mentioned?.Id == activity.Recipient?.Id);
    }

    /// <summary>Answers an Adaptive Card invoke (Action.Execute) with a status and a card or a message.</summary>
    public static Task<ResourceResponse> RespondInvokeAsync(ITurnContext turn, int status, string type, object value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        return turn.SendActivityAsync(
            new Activity
            {
                Type = ActivityTypesEx.InvokeResponse,
                Value = new InvokeResponse
                {
                    Status = 200,
                    Body = new AdaptiveCardInvokeResponse { StatusCode = status, Type = type, Value = value },
                },
            },
            cancellationToken);
    }

    /// <summary>
    /// Teams' channel data, or null when there is none or it does not have Teams' shape (a tenant that is a
    /// string, say). Such an activity then counts as outside the tenant; the reader's exception is not logged,
    /// because its message quotes the sender's values.
    /// </summary>
    private TeamsChannelData? ReadChannelData(Activity activity)
    {
        try
        {
            return activity.GetChannelData<TeamsChannelData>();
        }
        catch (Newtonsoft.Json.JsonException)
        {
            LogUnreadableChannelData(logger);
            return null;
        }
    }

    /// <summary>
    /// Whether the turn came through <c>/api/messages</c> with a validated channel token for this bot. The
    /// development switch's anonymous requests, and the embedded channel, do not count.
    /// </summary>
    private bool IsChannelAuthenticated(ITurnContext turn)
    {
        var appId = configuration["MicrosoftAppId"];
        return turn.Adapter is BotMessagesAdapter
            && !string.IsNullOrEmpty(appId)
            && turn.TurnState.Get<ClaimsIdentity>(BotAdapter.BotIdentityKey) is { IsAuthenticated: true } identity
            && identity.AuthenticationType != AuthenticationConstants.AnonymousAuthType
            && string.Equals(identity.FindFirst(AuthenticationConstants.AudienceClaim)?.Value, appId, StringComparison.OrdinalIgnoreCase);
    }

    [LoggerMessage(EventId = 8533, Level = LogLevel.Warning, Message = "A Teams activity carried channel data without Teams' shape; it is treated as from outside the tenant.")]
    private static partial void LogUnreadableChannelData(ILogger logger);

    [LoggerMessage(EventId = 8532, Level = LogLevel.Warning, Message = "Ignored a Teams installation outside the configured tenant or team (authenticated: {Authenticated}).")]
    private static partial void LogInstallationIgnored(ILogger logger, bool authenticated);
}
