using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using ExportCenter.Bot.Channels.BotFramework;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Tickets;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// The advisors' side of the bot. Teams activities (installation, card actions as Action.Execute invokes or
/// Action.Submit messages, messages in a ticket's thread) and the local advisors' page's activities are
/// handled here; the company's messages are relayed to the advisor while a ticket is live. Advisor rights
/// come only from an authenticated source: a Teams activity that passed channel authentication, from the
/// configured tenant and team (or an allow-listed object id), by an advisor in the directory; or the
/// signed-in advisor on the local page, whose identity the embedded channel stamps from its own token.
/// </summary>
public sealed partial class AdvisorTurns(
    TicketDesk desk,
    AdvisorDirectory directory,
    AdvisorChannelRegistry registry,
    AdvisorDelivery delivery,
    IOptions<TeamsOptions> teams,
    IConfiguration configuration,
    ILogger<AdvisorTurns> logger)
{
    /// <summary>The prefix of the user ids the embedded channel gives signed-in advisors.</summary>
    public const string LocalAdvisorPrefix = "advisor:";

    private const string TeamsSource = "teams";
    private const string PageSource = "advisors-page";

    /// <summary>Handles the turn if it belongs to the advisors' side or to a live ticket; returns false otherwise.</summary>
    public async Task<bool> TryHandleAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        var activity = turn.Activity;
        if (activity.ChannelId == AdvisorChannelRegistry.TeamsChannel)
        {
            var teamsAction = ReadCardAction(activity);
            if (IsAdvisorsBusiness(activity, teamsAction))
            {
                await OnTeamsAsync(turn, teamsAction, cancellationToken);
                return true;
            }
        }

        // Only advisors' tokens make the channel stamp "advisor:" on a message, so a company's message never
        // costs the registry lookup; the advisors' conversation's own start (a conversation update) does.
        if (turn.Adapter is EmbeddedChannelAdapter && activity.ChannelId == DirectLineActivities.ChannelId
            && (activity.Type != ActivityTypes.Message || activity.From?.Id?.StartsWith(LocalAdvisorPrefix, StringComparison.Ordinal) == true)
            && await registry.GetAsync(cancellationToken) is { ChannelId: DirectLineActivities.ChannelId } local
            && local.ConversationId == activity.Conversation?.Id)
        {
            await OnAdvisorsPageAsync(turn, cancellationToken);
            return true;
        }

        if (activity.Type == ActivityTypes.Message && !string.IsNullOrWhiteSpace(activity.Text) && activity.Conversation?.Id is { } conversationId)
        {
            return await desk.RelayFromCompanyAsync(activity.ChannelId, conversationId, activity.Id ?? Guid.NewGuid().ToString("N"), activity.Text.Trim(), cancellationToken);
        }

        return false;
    }

    private async Task OnTeamsAsync(ITurnContext turn, CardActionRequest? action, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var authenticated = IsChannelAuthenticated(turn);
        var channelData = activity.GetChannelData<TeamsChannelData>();
        var tenantId = channelData?.Tenant?.Id ?? activity.Conversation?.TenantId;
        var registration = await registry.GetAsync(cancellationToken);
        var expectedTenant = teams.Value.Tenant ?? registration?.TenantId;
        var expectedTeam = teams.Value.Team ?? registration?.TeamId;
        var tenantOk = authenticated && expectedTenant is not null && string.Equals(tenantId, expectedTenant, StringComparison.OrdinalIgnoreCase);
        if (tenantOk && registration is { ChannelId: AdvisorChannelRegistry.TeamsChannel } && registration.ServiceUrl != activity.ServiceUrl)
        {
            await registry.RefreshServiceUrlAsync(activity.ServiceUrl, expectedTenant!, cancellationToken);
        }

        if (IsInstallation(activity))
        {
            var teamId = channelData?.Team?.Id;
            var installedChannel = channelData?.Settings?.SelectedChannel?.Id ?? channelData?.Channel?.Id ?? activity.Conversation?.Id;
            // The team comes from configuration, or is learned from the first installation; later installations in
            // other teams of the tenant cannot move the channel (and the companies' details) away from the advisors.
            var allowedTeam = teams.Value.Team ?? (registration is { ChannelId: AdvisorChannelRegistry.TeamsChannel } ? registration.TeamId : null);
            if (tenantOk && teamId is not null && installedChannel is not null && (allowedTeam is null || allowedTeam == teamId))
            {
                await registry.LearnFromTeamsAsync(activity.ServiceUrl, StripThread(installedChannel), tenantId!, teamId, "installation", cancellationToken);
                if (activity.Type == ActivityTypes.InstallationUpdate || activity.Type == ActivityTypes.ConversationUpdate)
                {
                    await turn.SendActivityAsync(MessageFactory.Text("Hej! Här publicerar ExportCenter.Bot nya ärenden från företagen. Ta ett ärende med knappen på kortet; skriv i ärendets tråd och nämn mig, så går meddelandet till företaget."), cancellationToken);
                }
            }
            else
            {
                LogInstallationIgnored(logger, authenticated);
            }

            return;
        }

        var isInvoke = activity.Type == ActivityTypes.Invoke;
        if (isInvoke && action is null)
        {
            await RespondInvokeAsync(turn, 400, "application/vnd.microsoft.error", new JObject { ["code"] = "BadRequest", ["message"] = "Not a card action of this bot." }, cancellationToken);
            return;
        }

        var isThreadMessage = activity.Type == ActivityTypes.Message && action is null && MentionsBot(activity);
        if (action is null && !isThreadMessage)
        {
            return; // Conversation updates, reactions, messages not addressed to the bot: nothing to do.
        }

        var advisor = await AuthorizeTeamsAsync(turn, authenticated, tenantOk, channelData, expectedTeam, cancellationToken);
        if (advisor is null)
        {
            var refusal = "Du har inte behörighet att hantera ärenden här. Bara rådgivare i exportcentrets team kan göra det; be samordnaren lägga till dig i rådgivarkatalogen.";
            var number = action?.Number ?? await desk.FindByThreadAsync(activity.Conversation?.Id ?? string.Empty, cancellationToken);
            await desk.AuditRefusalAsync(number, TeamsSource, null, authenticated ? "not an advisor of the team" : "unauthenticated", cancellationToken);
            LogRefused(logger, authenticated, tenantOk);
            if (isInvoke)
            {
                await RespondInvokeAsync(turn, 403, "application/vnd.microsoft.error", new JObject { ["code"] = "Forbidden", ["message"] = refusal }, cancellationToken);
            }
            else
            {
                await turn.SendActivityAsync(MessageFactory.Text(refusal), cancellationToken);
            }

            return;
        }

        var actor = new AdvisorActor(advisor, TeamsSource);
        if (isThreadMessage)
        {
            var number = await desk.FindByThreadAsync(activity.Conversation?.Id ?? string.Empty, cancellationToken);
            var text = activity.RemoveRecipientMention()?.Trim();
            if (number is null)
            {
                // Not in a ticket's thread ("status", "hjälp", anything): the open tickets, and how to answer one.
                var overview = await desk.OverviewAsync(cancellationToken);
                await turn.SendActivityAsync(PlainText(overview + "\n\nSvara ett företag i tråden under ärendets kort och nämn mig, eller med knappen Svara företaget."), cancellationToken);
                return;
            }

            var replied = await desk.ActAsync(actor, TicketCard.Verbs.Reply, number, new Dictionary<string, string?> { [TicketCard.ReplyInput] = text }, cancellationToken);
            if (!replied.Done)
            {
                await turn.SendActivityAsync(MessageFactory.Text(replied.Message), cancellationToken);
            }

            return;
        }

        var result = await desk.ActAsync(actor, action!.Verb, action.Number, action.Inputs, cancellationToken);
        if (isInvoke)
        {
            if (result.Done && result.Ticket is not null)
            {
                // The clicking advisor sees the new card at once; everyone else through the outbox's update.
                var card = delivery.RenderCard(result.Ticket, result.History, AdvisorChannelRegistry.TeamsChannel);
                await RespondInvokeAsync(turn, 200, "application/vnd.microsoft.card.adaptive", JObject.Parse(card.GetRawText()), cancellationToken);
            }
            else
            {
                await RespondInvokeAsync(turn, 200, "application/vnd.microsoft.activity.message", result.Message, cancellationToken);
            }
        }
        else if (!result.Done)
        {
            await turn.SendActivityAsync(MessageFactory.Text(result.Message), cancellationToken);
        }
    }

    private async Task OnAdvisorsPageAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        if (activity.Type != ActivityTypes.Message)
        {
            return;
        }

        var advisor = activity.From?.Id is { } id && id.StartsWith(LocalAdvisorPrefix, StringComparison.Ordinal)
            && long.TryParse(id.AsSpan(LocalAdvisorPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var advisorId)
            ? await directory.FindAsync(advisorId, cancellationToken)
            : null;
        if (advisor is null)
        {
            await turn.SendActivityAsync(MessageFactory.Text("Logga in som rådgivare för att hantera ärenden."), cancellationToken);
            return;
        }

        var actor = new AdvisorActor(advisor, PageSource);
        var action = ReadCardAction(activity);
        if (action is not null)
        {
            var result = await desk.ActAsync(actor, action.Verb, action.Number, action.Inputs, cancellationToken);
            await turn.SendActivityAsync(MessageFactory.Text(result.Message), cancellationToken);
            return;
        }

        // Free text: "EXP-2026-00001 text" goes to that ticket, anything else to the advisor's only live ticket.
        var text = activity.Text?.Trim() ?? string.Empty;
        string? number = null;
        var match = TicketPrefix().Match(text);
        if (match.Success)
        {
            number = match.Groups["number"].Value.ToUpperInvariant();
            text = text[match.Length..].Trim();
        }
        else if (await desk.LiveTicketsOfAsync(advisor.Id, cancellationToken) is [var only])
        {
            number = only;
        }

        if (number is null || text.Length == 0)
        {
            var overview = await desk.OverviewAsync(cancellationToken);
            await turn.SendActivityAsync(PlainText(overview + "\n\nAnvänd knapparna på ärendets kort, eller skriv ärendenumret först, t.ex. \"EXP-2026-00001 Hej! Jag ringer dig i eftermiddag.\""), cancellationToken);
            return;
        }

        var replied = await desk.ActAsync(actor, TicketCard.Verbs.Reply, number, new Dictionary<string, string?> { [TicketCard.ReplyInput] = text }, cancellationToken);
        if (!replied.Done)
        {
            await turn.SendActivityAsync(MessageFactory.Text(replied.Message), cancellationToken);
        }
    }

    private async Task<Advisor?> AuthorizeTeamsAsync(ITurnContext turn, bool authenticated, bool tenantOk, TeamsChannelData? channelData, string? expectedTeam, CancellationToken cancellationToken)
    {
        if (!authenticated || !tenantOk)
        {
            return null;
        }

        var aadObjectId = turn.Activity.From?.AadObjectId;
        var inTeam = expectedTeam is not null && string.Equals(channelData?.Team?.Id, expectedTeam, StringComparison.Ordinal);
        var allowListed = aadObjectId is not null && teams.Value.AllowedAadObjectIds.Contains(aadObjectId, StringComparer.OrdinalIgnoreCase);
        if (!inTeam && !allowListed)
        {
            return null;
        }

        return await directory.FindByAadObjectIdAsync(aadObjectId, cancellationToken);
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

    /// <summary>
    /// Teams activities for the advisors' side: installations, card actions, and anything in a team channel.
    /// A personal chat with the bot in Teams is an ordinary conversation with the knowledge base.
    /// </summary>
    private static bool IsAdvisorsBusiness(Activity activity, CardActionRequest? action) =>
        IsInstallation(activity)
        || activity.Type == ActivityTypes.Invoke
        || action is not null
        || activity.Conversation?.ConversationType == "channel";

    private static bool IsInstallation(Activity activity) =>
        (activity.Type == ActivityTypes.InstallationUpdate && activity.AsInstallationUpdateActivity().Action is "add" or "add-upgrade")
        || (activity.Type == ActivityTypes.ConversationUpdate && activity.AsConversationUpdateActivity().MembersAdded?.Any(m => m.Id == activity.Recipient?.Id) == true);

    private static bool MentionsBot(Activity activity) =>
        activity.AsMessageActivity().GetMentions().Any(m => m.Mentioned?.Id == activity.Recipient?.Id);

    private static string StripThread(string conversationId)
    {
        var marker = conversationId.IndexOf(";messageid=", StringComparison.Ordinal);
        return marker >= 0 ? conversationId[..marker] : conversationId;
    }

    /// <summary>A card action from an Action.Execute invoke or an Action.Submit message.</summary>
    public sealed record CardActionRequest(string Verb, string Number, IReadOnlyDictionary<string, string?> Inputs);

    public static CardActionRequest? ReadCardAction(IActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        JObject? data;
        string? verb;
        if (activity.Type == ActivityTypes.Invoke)
        {
            var invoke = activity.AsInvokeActivity();
            if (invoke.Name != "adaptiveCard/action" || invoke.Value is not JObject value || value["action"] is not JObject action
                || Str(action, "type") != "Action.Execute")
            {
                return null;
            }

            data = action["data"] as JObject;
            verb = Str(action, "verb") ?? Str(data, Dialogs.Cards.CardSubmit.VerbKey);
        }
        else if (activity.Type == ActivityTypes.Message && activity.AsMessageActivity().Value is JObject value)
        {
            data = value;
            verb = Str(value, Dialogs.Cards.CardSubmit.VerbKey);
        }
        else
        {
            return null;
        }

        var number = Str(data, TicketCard.TicketKey);
        if (data is null || !TicketCard.Verbs.IsKnown(verb) || string.IsNullOrWhiteSpace(number))
        {
            return null;
        }

        var inputs = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in new[] { TicketCard.OrganisationInput, TicketCard.OutcomeInput, TicketCard.ReplyInput })
        {
            inputs[key] = Str(data, key);
        }

        return new CardActionRequest(verb!, number, inputs);
    }

    private static Activity PlainText(string text)
    {
        var activity = MessageFactory.Text(text);
        activity.TextFormat = TextFormatTypes.Plain;
        return activity;
    }

    /// <summary>A string property, or null when it is missing or not a string (card data comes from clients).</summary>
    private static string? Str(JObject? source, string key) =>
        source?[key] is JValue { Type: JTokenType.String } value ? (string?)value.Value : null;

    private static Task<ResourceResponse> RespondInvokeAsync(ITurnContext turn, int status, string type, object value, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(
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

    [GeneratedRegex(@"^\s*(?<number>EXP-\d{4}-\d{5})\b[\s:,.-]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TicketPrefix();

    [LoggerMessage(EventId = 8531, Level = LogLevel.Warning, Message = "Refused a Teams card action or message (authenticated: {Authenticated}, tenant ok: {TenantOk}).")]
    private static partial void LogRefused(ILogger logger, bool authenticated, bool tenantOk);

    [LoggerMessage(EventId = 8532, Level = LogLevel.Warning, Message = "Ignored a Teams installation outside the configured tenant or team (authenticated: {Authenticated}).")]
    private static partial void LogInstallationIgnored(ILogger logger, bool authenticated);
}
