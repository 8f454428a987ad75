using System.Net;
using ExportCenter.Bot.Channels.BotFramework;
using ExportCenter.Bot.Testing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.BotFramework;

/// <summary>
/// The fake Teams Bot Connector end to end through the real bot host: the bot's adapter gets its outbound
/// token from the fake token endpoint and its proactive calls arrive at the fake as Teams would see them.
/// Each test has an app id of its own, so MSAL's process-wide token cache cannot hide its token request.
/// </summary>
public sealed class FakeBotConnectorTests : IAsyncLifetime
{
    private const string ChannelId = "19:abc@thread.tacv2";
    private readonly string _appId = Guid.NewGuid().ToString();
    private FakeTokenIssuer _issuer = null!;
    private FakeBotConnector _teams = null!;
    private BotApp? _app;

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync("msteams");
        _teams = await FakeBotConnector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _app?.Dispose();
        await _teams.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Theory]
    [InlineData("SingleTenant", "dstsv2/" + FakeBotConnector.DefaultTenantId)]
    [InlineData("MultiTenant", "dstsv2/botframework.com")]
    public async Task CreateConversation_InAChannel_ArrivesAsANewPost_WithTheIssuedBearerToken(string appType, string authorityPath)
    {
        var adapter = StartBot(appType);
        ConversationReference? created = null;

        await adapter.CreateConversationAsync(
            _appId,
            Microsoft.Bot.Connector.Channels.Msteams,
            _teams.ServiceUrl.AbsoluteUri,
            FakeBotConnector.Audience,
            new ConversationParameters
            {
                IsGroup = true,
                ChannelData = new TeamsChannelData { Channel = new ChannelInfo(ChannelId) },
                Activity = MessageFactory.Text("hi"),
            },
            (turn, _) =>
            {
                created = turn.Activity.GetConversationReference();
                return Task.CompletedTask;
            },
            CancellationToken.None);

        var post = Assert.Single(_teams.Requests);
        Assert.Equal(ConnectorOperation.CreateConversation, post.Operation);
        Assert.Equal("POST", post.Method);
        Assert.Equal("/v3/conversations", post.Path);
        Assert.True(post.Body!["isGroup"]!.GetValue<bool>());
        Assert.Equal(ChannelId, post.Body["channelData"]!["channel"]!["id"]!.GetValue<string>());
        Assert.Equal("hi", post.Text);

        var token = Assert.Single(_teams.TokenRequests);
        Assert.Null(token.Error);
        Assert.Equal(authorityPath, token.AuthorityPath);
        Assert.Equal(_appId, token.ClientId);
        Assert.Equal("https://api.botframework.com/.default", token.Scope);
        Assert.True(token.HasClientSecret);
        Assert.Equal("Bearer " + token.IssuedToken, post.Authorization);
        Assert.True(post.TokenFromThisFake);
        Assert.Empty(_teams.Unexpected);

        Assert.NotNull(created);
        Assert.Matches(@"^19:abc@thread\.tacv2;messageid=\d+$", created.Conversation.Id);
        Assert.Equal(_teams.ServiceUrl.AbsoluteUri, created.ServiceUrl);
    }

    [Fact]
    public async Task CreateConversation_WithAnonymousChannelData_SendsTheChannelId()
    {
        var adapter = StartBot();

        await adapter.CreateConversationAsync(
            _appId,
            Microsoft.Bot.Connector.Channels.Msteams,
            _teams.ServiceUrl.AbsoluteUri,
            FakeBotConnector.Audience,
            new ConversationParameters { IsGroup = true, ChannelData = new { channel = new { id = ChannelId } }, Activity = MessageFactory.Text("hi") },
            (_, _) => Task.CompletedTask,
            CancellationToken.None);

        var post = Assert.Single(_teams.Requests);
        Assert.Equal(ChannelId, post.Body?["channelData"]?["channel"]?["id"]?.GetValue<string>());
    }

    /// <summary>
    /// A proactive send is always a ReplyToActivity: to the continuation event's own random id
    /// (ConversationReference.GetContinuationActivity gives it a new Guid), even when the reference has an
    /// ActivityId. The thread is chosen by the conversation id (";messageid=…"), not by the reply-to id.
    /// </summary>
    [Fact]
    public async Task ContinueConversation_SendUpdateAndReply_ArriveAsPostsAndPut_InTheThread()
    {
        var adapter = StartBot();
        var thread = ChannelId + ";messageid=1730000000001";
        var reference = _teams.Reference(thread, _appId);
        ResourceResponse? sent = null;
        string? continuationId = null;

        await adapter.ContinueConversationAsync(_appId, reference, async (turn, ct) =>
        {
            continuationId = turn.Activity.Id;
            sent = await turn.SendActivityAsync(MessageFactory.Text("first"), ct);
            var edit = MessageFactory.Text("edited");
            edit.Id = sent.Id;
            await turn.UpdateActivityAsync(edit, ct);
        }, CancellationToken.None);
        reference.ActivityId = "1730000000001";
        string? secondContinuationId = null;
        await adapter.ContinueConversationAsync(_appId, reference, (turn, ct) =>
        {
            secondContinuationId = turn.Activity.Id;
            return turn.SendActivityAsync(MessageFactory.Text("a reply"), ct);
        }, CancellationToken.None);

        var requests = await _teams.WaitForRequestsAsync(_ => true, count: 3);
        Assert.Equal(
            [ConnectorOperation.ReplyToActivity, ConnectorOperation.UpdateActivity, ConnectorOperation.ReplyToActivity],
            requests.Select(r => r.Operation));

        var post = requests[0];
        Assert.True(Guid.TryParse(continuationId, out _));
        Assert.Equal($"/v3/conversations/{thread}/activities/{continuationId}", post.Path);
        Assert.Equal(thread, post.ConversationId);
        Assert.Equal(thread, post.ConversationIdHeader);
        Assert.Equal("first", post.Text);
        Assert.NotNull(sent);

        var put = requests[1];
        Assert.Equal("PUT", put.Method);
        Assert.Equal($"/v3/conversations/{thread}/activities/{sent.Id}", put.Path);
        Assert.Equal("edited", put.Text);

        var reply = requests[2];
        Assert.Equal("POST", reply.Method);
        Assert.Equal(secondContinuationId, reply.ActivityId);
        Assert.NotEqual(continuationId, secondContinuationId);
        Assert.Equal("a reply", reply.Text);
        Assert.All(requests, r => Assert.Equal(_appId, r.TokenAppId));
        Assert.Empty(_teams.FailedAttempts);
    }

    [Fact]
    public async Task Throttled_CreateConversation_ThrowsErrorResponseException_WithRetryAfter_AfterOneAttempt()
    {
        var adapter = StartBot();
        _teams.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(2));

        var ex = await Assert.ThrowsAsync<ErrorResponseException>(() => CreatePostAsync(adapter, "hi"));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.Response.StatusCode);
        Assert.Equal("2", Assert.Single(ex.Response.Headers["Retry-After"]));
        Assert.Equal("Throttled", ex.Body?.Error?.Code);
        // The ConnectorClient does not retry by itself: one call, one attempt.
        Assert.Single(_teams.FailedAttempts);
        Assert.Empty(_teams.Requests);

        await CreatePostAsync(adapter, "hi");

        var delivered = Assert.Single(_teams.Requests);
        Assert.Equal("hi", delivered.Text);
        Assert.Single(_teams.FailedAttempts);
    }

    [Fact]
    public async Task ServerErrors_AreNotRetriedByTheConnectorClient_AndFailUntilTurnedOff()
    {
        var adapter = StartBot();
        HttpStatusCode[] statuses = [HttpStatusCode.InternalServerError, HttpStatusCode.BadGateway, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout, HttpStatusCode.PreconditionFailed];

        foreach (var status in statuses)
        {
            using (_teams.StartFailing(status))
            {
                var ex = await Assert.ThrowsAsync<ErrorResponseException>(() => CreatePostAsync(adapter, status.ToString()));
                Assert.Equal(status, ex.Response.StatusCode);
            }
        }

        Assert.Equal(statuses.Length, _teams.FailedAttempts.Count);
        Assert.Equal(statuses, _teams.FailedAttempts.Select(a => (HttpStatusCode)a.Status));

        await CreatePostAsync(adapter, "after the outage");

        Assert.Equal("after the outage", Assert.Single(_teams.Requests).Text);
    }

    [Fact]
    public async Task FailedSend_InsideContinueConversation_GoesToOnTurnError_NotToTheCaller()
    {
        var adapter = StartBot();
        var reference = _teams.Reference(ChannelId + ";messageid=1730000000001", _appId);
        _teams.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1), r => r.Text == "proactive");
        Exception? seenInCallback = null;

        await adapter.ContinueConversationAsync(_appId, reference, (turn, ct) => turn.SendActivityAsync(MessageFactory.Text("proactive"), ct), CancellationToken.None);
        await adapter.ContinueConversationAsync(_appId, reference, async (turn, ct) =>
        {
            _teams.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(1));
            try
            {
                await turn.SendActivityAsync(MessageFactory.Text("caught"), ct);
            }
            catch (ErrorResponseException ex)
            {
                seenInCallback = ex;
            }
        }, CancellationToken.None);

        Assert.Equal(2, _teams.FailedAttempts.Count);
        // The adapter's turn error handler apologised to the conversation after the first failure.
        var apology = Assert.Single(_teams.Requests);
        Assert.Equal(ConnectorOperation.ReplyToActivity, apology.Operation);
        Assert.NotEqual("proactive", apology.Text);
        Assert.Equal(HttpStatusCode.TooManyRequests, Assert.IsType<ErrorResponseException>(seenInCallback).Response.StatusCode);
    }

    [Fact]
    public async Task MemberLookup_FindsConfiguredMembers_And404sOthers()
    {
        var adapter = StartBot();
        _teams.AddMember("29:advisor", "Anna Advisor", aadObjectId: "00000000-0000-0000-0000-0000000000a1", email: "anna@example.se");
        var reference = _teams.Reference(ChannelId, _appId);
        TeamsChannelAccount? byId = null;
        TeamsChannelAccount? byAadObjectId = null;
        ErrorResponseException? unknown = null;

        await adapter.ContinueConversationAsync(_appId, reference, async (turn, ct) =>
        {
            byId = await TeamsInfo.GetMemberAsync(turn, "29:advisor", ct);
            byAadObjectId = await TeamsInfo.GetMemberAsync(turn, "00000000-0000-0000-0000-0000000000a1", ct);
            try
            {
                await TeamsInfo.GetMemberAsync(turn, "29:stranger", ct);
            }
            catch (ErrorResponseException ex)
            {
                unknown = ex;
            }
        }, CancellationToken.None);

        Assert.Equal("Anna Advisor", byId?.Name);
        Assert.Equal("anna@example.se", byId?.Email);
        Assert.Equal("29:advisor", byAadObjectId?.Id);
        Assert.Equal(HttpStatusCode.NotFound, unknown?.Response.StatusCode);
        Assert.Equal("MemberNotFoundInConversation", unknown?.Body?.Error?.Code);
        var lookup = _teams.Requests[0];
        Assert.Equal(ConnectorOperation.GetMember, lookup.Operation);
        Assert.Equal($"/v3/conversations/{ChannelId}/members/29:advisor", lookup.Path);
    }

    private BotMessagesAdapter StartBot(string appType = "SingleTenant")
    {
        _app = new BotApp(_teams.BotConfiguration(_appId, _issuer, appType));
        return _app.Services.GetRequiredService<BotMessagesAdapter>();
    }

    private Task CreatePostAsync(BotMessagesAdapter adapter, string text) =>
        adapter.CreateConversationAsync(
            _appId,
            Microsoft.Bot.Connector.Channels.Msteams,
            _teams.ServiceUrl.AbsoluteUri,
            FakeBotConnector.Audience,
            new ConversationParameters { IsGroup = true, ChannelData = new TeamsChannelData { Channel = new ChannelInfo(ChannelId) }, Activity = MessageFactory.Text(text) },
            (_, _) => Task.CompletedTask,
            CancellationToken.None);
}
