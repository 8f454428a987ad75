using System.Net;
using System.Text.Json;
using ExportCenter.Bot.Channels;
using ExportCenter.Bot.Channels.Teams;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.KnowledgeBase;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using JsonSerializer = System.Text.Json.JsonSerializer;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// Delivers the advisors' outbox messages: posts a ticket's card to the advisors' channel (a new post in
/// Teams, a message on the local page), updates it for everyone, writes into its thread, and tells the
/// company in its own conversation through the stored conversation reference. The ticket lifecycle does not
/// know which channel it is; the channels do not know tickets.
/// </summary>
public sealed partial class AdvisorDelivery(
    IDbContextFactory<BotDbContext> dbFactory,
    AdvisorChannelRegistry registry,
    ProactiveMessenger messenger,
    TicketQueries tickets,
    IOptions<SlaOptions> sla,
    KnowledgeBase knowledge,
    TicketDeadlinePolicy deadlines,
    DeliveryCheckpoints checkpoints,
    TimeProvider time,
    ILogger<AdvisorDelivery> logger)
{
    public Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken) => ConnectorRetry.TranslateAsync(message.Kind switch
    {
        OutboxKinds.AdvisorCardPost => PostCardAsync(Read<TicketPayload>(message).Number, cancellationToken),
        OutboxKinds.AdvisorCardUpdate => UpdateCardAsync(Read<TicketPayload>(message).Number, cancellationToken),
        OutboxKinds.AdvisorMessage => ThreadMessageAsync(Read<TicketTextPayload>(message), cancellationToken),
        OutboxKinds.CompanyMessage => CompanyMessageAsync(Read<TicketTextPayload>(message), cancellationToken),
        OutboxKinds.AdvisorCardRedact => RedactCardAsync(Read<RedactedCardPayload>(message), cancellationToken),
        _ => throw new InvalidOperationException($"Not an advisors' outbox kind: {message.Kind}."),
    }, time);

    /// <summary>Renders a ticket's card for a channel (Teams gets Action.Execute, Web Chat Action.Submit).</summary>
    public JsonElement RenderCard(Ticket ticket, IReadOnlyList<TicketHistoryLine> history, string channelId) =>
        JsonSerializer.SerializeToElement(TicketCard.Render(ticket, history, knowledge, deadlines.TimeZone, time.GetUtcNow(), channelId == AdvisorChannelRegistry.TeamsChannel ? ActionStyle.Execute : ActionStyle.Submit));

    /// <summary>A card as a Bot Framework attachment.</summary>
    public static Attachment CardAttachment(JsonElement card) => new() { ContentType = AdaptiveCard.ContentType, Content = JObject.Parse(card.GetRawText()) };

    /// <summary>
    /// Posts the ticket's card once. The Bot Connector has no idempotency key and cannot list a channel's messages,
    /// so a post whose answer is lost cannot be found again; the post is therefore bracketed by two commits on the
    /// ticket: the intent (<see cref="Ticket.AdvisorPostStartedAt"/>) before the request leaves, and the card's ids
    /// the moment the channel answers, in a commit of their own on a connection opened beforehand and not cancelled by
    /// a shutdown. A card whose ids are stored is never posted again (a retry updates it instead). An intent still
    /// standing at the next attempt means the bot stopped between the two (a crash, a timeout): the card is posted
    /// again, and the possible duplicate is counted on the ticket and in the log.
    /// </summary>
    private async Task PostCardAsync(string number, CancellationToken cancellationToken)
    {
        if (await LoadAsync(number, cancellationToken) is not var (ticket, history))
        {
            return;
        }

        if (ticket.AdvisorActivityId is not null)
        {
            return; // Posted and recorded before (a retry after the post): never post twice.
        }

        var channel = await RequireChannelAsync(cancellationToken);
        var now = time.GetUtcNow();
        var possibleDuplicate = ticket.AdvisorPostStartedAt is not null;
        if (possibleDuplicate)
        {
            history = [.. history, new TicketHistoryLine(now, TicketAction.PossibleDuplicate, null, null, null)];
        }

        var activity = (Activity)MessageFactory.Attachment(CardAttachment(RenderCard(ticket, history, channel.ChannelId)));
        activity.Summary = $"Ärende {ticket.Number}";

        // What can fail before the request leaves (the Teams connection and its token, the database connection) is
        // done before the intent is recorded, and nothing but the commit follows the channel's answer.
        using var teams = channel.ChannelId == AdvisorChannelRegistry.TeamsChannel ? await messenger.OpenTeamsAsync(channel.ServiceUrl, cancellationToken) : null;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        if (!await RecordPostIntentAsync(db, ticket.Id, possibleDuplicate, now, cancellationToken))
        {
            return; // Recorded meanwhile, or the ticket is gone.
        }

        if (possibleDuplicate)
        {
            LogPossibleDuplicate(logger, number);
        }

        checkpoints.Pass(DeliveryCheckpoint.CardPostIntentRecorded, number);
        string conversationId;
        string activityId;
        try
        {
            if (teams is not null)
            {
                (conversationId, activityId) = await teams.CreatePostAsync(channel.TenantId, channel.ConversationId, activity, cancellationToken);
            }
            else
            {
                conversationId = channel.ConversationId;
                activityId = await messenger.SendAsync(Address(channel, conversationId), activity, retainWith: number, cancellationToken);
            }
        }
        catch (Exception ex) when (NothingPosted(ex))
        {
            // The channel answered with an error, or no connection was made: there is no card, so the next attempt is no duplicate.
            await db.Tickets.Where(t => t.Id == ticket.Id && t.AdvisorActivityId == null)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.AdvisorPostStartedAt, (DateTimeOffset?)null), CancellationToken.None);
            throw;
        }

        checkpoints.Pass(DeliveryCheckpoint.CardPostAnswered, number);
        await db.Tickets.Where(t => t.Id == ticket.Id && t.AdvisorActivityId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AdvisorConversationId, conversationId).SetProperty(t => t.AdvisorActivityId, activityId).SetProperty(t => t.AdvisorPostStartedAt, (DateTimeOffset?)null), CancellationToken.None);
        checkpoints.Pass(DeliveryCheckpoint.CardPostRecorded, number);
        LogPosted(logger, number, channel.ChannelId);
    }

    /// <summary>
    /// Commits that a post of the card is under way (and, after an earlier post whose answer was never recorded, the
    /// possible duplicate in the ticket's history); false when the card was recorded meanwhile or the ticket is gone.
    /// </summary>
    private static async Task<bool> RecordPostIntentAsync(BotDbContext db, long ticketId, bool possibleDuplicate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var marked = await db.Tickets.Where(t => t.Id == ticketId && t.AdvisorActivityId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AdvisorPostStartedAt, now), cancellationToken);
        if (marked == 0)
        {
            return false;
        }

        if (possibleDuplicate)
        {
            db.TicketEvents.Add(new TicketEvent { TicketId = ticketId, At = now, Action = TicketAction.PossibleDuplicate, Source = TicketSource.Delivery });
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Whether a failed post certainly made no card: the channel answered with an error status, or the connection was
    /// never made. A timeout or a connection lost mid-request may have posted it, so those leave the intent standing.
    /// </summary>
    private static bool NothingPosted(Exception ex) => ex switch
    {
        ErrorResponseException { Response: not null } => true,
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError } => true,
        _ => false,
    };

    private async Task UpdateCardAsync(string number, CancellationToken cancellationToken)
    {
        if (await LoadAsync(number, cancellationToken) is not var (ticket, history))
        {
            return;
        }

        var channel = await RequireChannelAsync(cancellationToken);
        if (ticket.AdvisorActivityId is not null && !PostedIn(ticket, channel))
        {
            await ForgetPostAsync(ticket, cancellationToken);
            ticket.AdvisorActivityId = null;
        }

        if (ticket.AdvisorActivityId is null)
        {
            await PostCardAsync(number, cancellationToken); // The post shows the current state.
            return;
        }

        var activity = MessageFactory.Attachment(CardAttachment(RenderCard(ticket, history, channel.ChannelId)));
        activity.Id = ticket.AdvisorActivityId;
        var thread = Address(channel, ticket.AdvisorConversationId!);
        try
        {
            await messenger.UpdateAsync(thread, activity, cancellationToken);
        }
        catch (ErrorResponseException ex) when (ex.Response?.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            // A channel that cannot update messages gets the new state as a new message.
            activity.Id = null;
            await messenger.SendAsync(thread, activity, cancellationToken);
        }
        catch (ErrorResponseException ex) when (ex.Response?.StatusCode is HttpStatusCode.NotFound)
        {
            // The posted card is gone (the advisors' conversation was replaced or the post deleted): post it anew.
            await ForgetPostAsync(ticket, cancellationToken);
            await PostCardAsync(number, cancellationToken);
        }
    }

    private async Task RedactCardAsync(RedactedCardPayload payload, CancellationToken cancellationToken)
    {
        var channel = await registry.GetAsync(cancellationToken);
        if (channel is null || !PostedIn(payload.ConversationId, channel))
        {
            return; // Posted in a channel the advisors no longer use; the bot cannot reach it any more.
        }

        var activity = MessageFactory.Attachment(CardAttachment(JsonSerializer.SerializeToElement(TicketCard.Redacted(payload.Number))));
        activity.Id = payload.ActivityId;
        try
        {
            await messenger.UpdateAsync(Address(channel, payload.ConversationId), activity, cancellationToken);
        }
        catch (ErrorResponseException ex) when (ex.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed)
        {
            // The card is gone already, or the channel cannot change it.
        }
    }

    private async Task ThreadMessageAsync(TicketTextPayload payload, CancellationToken cancellationToken)
    {
        if (await LoadAsync(payload.Number, cancellationToken) is not (var ticket, _))
        {
            return;
        }

        var channel = await RequireChannelAsync(cancellationToken);
        var activity = AdvisorsMessage(payload.Text);
        if (payload.MentionCoordinator)
        {
            await AddCoordinatorMentionAsync(activity, channel.ChannelId, cancellationToken);
        }

        if (payload.EscalationChannel && channel.ChannelId == AdvisorChannelRegistry.TeamsChannel && !string.IsNullOrWhiteSpace(sla.Value.EscalationChannelId))
        {
            await messenger.CreateTeamsPostAsync(channel.ServiceUrl, channel.TenantId, sla.Value.EscalationChannelId, activity, cancellationToken);
            return;
        }

        if (!PostedIn(ticket, channel))
        {
            // Never posted, or posted where the advisors no longer are: the card first, then the message under it.
            await ForgetPostAsync(ticket, cancellationToken);
            await PostCardAsync(payload.Number, cancellationToken);
            if (await LoadAsync(payload.Number, cancellationToken) is not (var posted, _) || posted.AdvisorConversationId is null)
            {
                return;
            }

            ticket = posted;
        }

        await messenger.SendAsync(Address(channel, ticket.AdvisorConversationId!), activity, retainWith: payload.Number, cancellationToken);
    }

    private async Task CompanyMessageAsync(TicketTextPayload payload, CancellationToken cancellationToken)
    {
        if (await LoadAsync(payload.Number, cancellationToken) is not (var ticket, _))
        {
            return;
        }

        var reference = JsonConvert.DeserializeObject<ConversationReference>(ticket.ConversationReference)
            ?? throw new InvalidOperationException("The ticket has no conversation reference.");
        var activity = MessageFactory.Text(payload.Text);
        activity.TextFormat = TextFormatTypes.Plain;
        activity.Locale = ticket.Language == "en" ? "en-GB" : "sv-SE";
        try
        {
            await messenger.ContinueAsync(reference, (turn, ct) => turn.SendActivityAsync(activity, ct), cancellationToken);
        }
        catch (ErrorResponseException ex) when (ex.Response?.StatusCode is HttpStatusCode.NotFound)
        {
            // The company's conversation no longer exists (retention); the email, if any, carries the news.
            LogCompanyConversationGone(logger, ticket.Number);
        }
    }

    private async Task AddCoordinatorMentionAsync(Activity activity, string channelId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var coordinators = await db.Advisors.AsNoTracking().Where(a => a.IsCoordinator && a.Active).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        var teams = channelId == AdvisorChannelRegistry.TeamsChannel;
        var mentions = new List<string>();
        foreach (var coordinator in coordinators)
        {
            if (teams && coordinator.AadObjectId is not null)
            {
                // Teams renders <at>…</at> as a mention only with a matching mention entity (by Entra object id).
                var at = $"<at>{coordinator.Name}</at>";
                mentions.Add(at);
                activity.Entities ??= [];
                activity.Entities.Add(new Mention { Mentioned = new ChannelAccount(coordinator.AadObjectId, coordinator.Name), Text = at });
            }
            else if (!teams && coordinator.LocalLogin is not null)
            {
                mentions.Add("@" + coordinator.Name);
            }
        }

        if (mentions.Count > 0)
        {
            activity.Text = string.Join(' ', mentions) + " " + activity.Text;
        }
    }

    /// <summary>A notice for all advisors in the channel: a new post in Teams, a message on the local page.</summary>
    public async Task PostNoticeAsync(AdvisorChannel channel, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var activity = AdvisorsMessage(text);
        if (channel.ChannelId == AdvisorChannelRegistry.TeamsChannel)
        {
            await messenger.CreateTeamsPostAsync(channel.ServiceUrl, channel.TenantId, channel.ConversationId, activity, cancellationToken);
        }
        else
        {
            await messenger.SendAsync(Address(channel, channel.ConversationId), activity, cancellationToken);
        }
    }

    /// <summary>
    /// A plain text as a message in the advisors' channel. Teams renders a bot's message as markdown whatever its
    /// textFormat says, so the text (a relay carries what the company wrote) goes as escaped markdown, shown the
    /// same in Teams and on the local page.
    /// </summary>
    private static Activity AdvisorsMessage(string text)
    {
        var activity = MessageFactory.Text(MarkdownText.Escape(text));
        activity.TextFormat = TextFormatTypes.Markdown;
        return activity;
    }

    /// <summary>The registered advisors' channel; until there is one, the message waits.</summary>
    private async Task<AdvisorChannel> RequireChannelAsync(CancellationToken cancellationToken) =>
        await registry.GetAsync(cancellationToken)
            ?? throw new OutboxRetryException("no advisors' channel registered yet", TimeSpan.FromSeconds(30));

    /// <summary>The ticket and its history; null when retention has deleted it (then there is nothing left to deliver).</summary>
    private async Task<(Ticket Ticket, IReadOnlyList<TicketHistoryLine> History)?> LoadAsync(string number, CancellationToken cancellationToken)
    {
        var loaded = await tickets.LoadAsync(number, cancellationToken);
        if (loaded is null)
        {
            LogTicketGone(logger, number);
        }

        return loaded;
    }

    private static ChannelAddress Address(AdvisorChannel channel, string conversationId) =>
        new(channel.ChannelId, channel.ServiceUrl, conversationId, channel.TenantId);

    /// <summary>Whether the ticket's card was posted in the channel that is registered now.</summary>
    private static bool PostedIn(Ticket ticket, AdvisorChannel channel) =>
        ticket.AdvisorConversationId is { } posted && PostedIn(posted, channel);

    /// <summary>Whether a card's conversation (in Teams its thread) lies in the channel.</summary>
    private static bool PostedIn(string conversationId, AdvisorChannel channel) => channel.ChannelId == AdvisorChannelRegistry.TeamsChannel
        ? TeamsConversationId.Parse(conversationId).IsPostIn(channel.ConversationId)
        : conversationId == channel.ConversationId;

    /// <summary>Forgets a card posted in a channel the advisors no longer use, so that it is posted again.</summary>
    private async Task ForgetPostAsync(Ticket ticket, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Tickets.Where(t => t.Id == ticket.Id && t.AdvisorActivityId == ticket.AdvisorActivityId)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AdvisorActivityId, (string?)null).SetProperty(t => t.AdvisorConversationId, (string?)null), cancellationToken);
    }

    private static T Read<T>(OutboxMessage message) =>
        JsonSerializer.Deserialize<T>(message.Payload) ?? throw new InvalidOperationException("Empty outbox payload.");

    [LoggerMessage(EventId = 8522, Level = LogLevel.Information, Message = "Ticket {Number} no longer exists; its outbox message is dropped.")]
    private static partial void LogTicketGone(ILogger logger, string number);

    [LoggerMessage(EventId = 8523, Level = LogLevel.Warning, Message = "The company conversation of ticket {Number} no longer exists; the chat message is dropped.")]
    private static partial void LogCompanyConversationGone(ILogger logger, string number);

    [LoggerMessage(EventId = 8521, Level = LogLevel.Information, Message = "Ticket {Number} posted to the advisors' channel ({Channel}).")]
    private static partial void LogPosted(ILogger logger, string number, string channel);

    [LoggerMessage(EventId = 8524, Level = LogLevel.Warning, Message = "The card of ticket {Number} is posted again after a post whose answer was never recorded; the advisors' channel may show it twice (counted on the ticket as possible-duplicate).")]
    private static partial void LogPossibleDuplicate(ILogger logger, string number);
}

/// <summary>One outbox kind handled by <see cref="AdvisorDelivery"/>.</summary>
public sealed class AdvisorOutboxHandler(string kind, AdvisorDelivery delivery) : IOutboxHandler
{
    public string Kind { get; } = kind;

    public Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken) => delivery.DeliverAsync(message, cancellationToken);
}
