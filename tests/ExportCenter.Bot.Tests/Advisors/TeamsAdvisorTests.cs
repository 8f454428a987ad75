using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Channels;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Bot.Tickets;
using ExportCenter.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// The advisors' side in Teams, at the wire: Teams-shaped activities signed by a fake token issuer are posted
/// to /api/messages, and what the bot sends to Teams arrives at a fake Bot Connector on loopback. The company
/// side is the real embedded Direct Line channel.
/// </summary>
public sealed class TeamsAdvisorTests : IAsyncLifetime
{
    private const string TeamId = "19:team-general@thread.tacv2";
    private const string AdvisorsChannel = "19:advisors@thread.tacv2";
    private const string Tenant = FakeBotConnector.DefaultTenantId;
    private static readonly DateTimeOffset FridayAfternoon = TestClock.FridayAfternoon;
    private readonly FakeTimeProvider _clock = new(FridayAfternoon);
    private readonly string _appId = Guid.NewGuid().ToString();
    private FakeTokenIssuer _issuer = null!;
    private FakeBotConnector _teams = null!;
    private BotApp _app = null!;

    public async Task InitializeAsync()
    {
        _issuer = await FakeTokenIssuer.StartAsync("msteams", "directline");
        _teams = await FakeBotConnector.StartAsync();
        var settings = _teams.BotConfiguration(_appId, _issuer);
        settings["Teams:TenantId"] = Tenant;
        settings["Teams:TeamId"] = TeamId;
        settings["Advisors:Directory:0:Name"] = "Anna";
        settings["Advisors:Directory:0:OrganisationId"] = "almi";
        settings["Advisors:Directory:0:AadObjectId"] = "aad-anna";
        settings["Advisors:Directory:1:Name"] = "Sven";
        settings["Advisors:Directory:1:OrganisationId"] = "region-dalarna";
        settings["Advisors:Directory:1:AadObjectId"] = "aad-sven";
        settings["Advisors:Directory:1:IsCoordinator"] = "true";
        settings["Outbox:Enabled"] = "false";
        settings["Sla:Enabled"] = "false";
        _app = new BotApp(settings, s => s.AddSingleton<TimeProvider>(_clock));
    }

    public async Task DisposeAsync()
    {
        _app.Dispose();
        await _teams.DisposeAsync();
        await _issuer.DisposeAsync();
    }

    [Fact]
    public async Task Installation_RegistersTheChannel_AndANewTicketBecomesANewPostWithAValidCard()
    {
        using (var installed = await PostAsync(Installation()))
        {
            Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        }

        var channel = await _app.Services.GetRequiredService<AdvisorChannelRegistry>().GetAsync(CancellationToken.None);
        Assert.Equal(("msteams", AdvisorsChannel, TeamId, Tenant, _teams.ServiceUrl.AbsoluteUri), (channel!.ChannelId, channel.ConversationId, channel.TeamId, channel.TenantId, channel.ServiceUrl));

        await ChatSteps.CompleteHandoffAsync(_app);
        await ChatSteps.DrainOutboxAsync(_app);

        var post = Assert.Single(_teams.Requests, r => r.Operation == ConnectorOperation.CreateConversation);
        Assert.Equal(AdvisorsChannel, post.Body!["channelData"]!["channel"]!["id"]!.GetValue<string>());
        Assert.StartsWith("Bearer ", post.Authorization, StringComparison.Ordinal);
        var card = post.Body["activity"]!["attachments"]![0]!["content"]!.ToJsonString();
        Assert.True(Encoding.UTF8.GetByteCount(card) < 28 * 1024);
        Assert.Empty(await AdaptiveCardValidator.ProblemsAsync(card));
        Assert.Contains("Action.Execute", card, StringComparison.Ordinal);
        var ticket = await TicketAsync();
        Assert.StartsWith(AdvisorsChannel + ";messageid=", ticket.AdvisorConversationId, StringComparison.Ordinal);
        Assert.NotNull(ticket.AdvisorActivityId);
    }

    [Fact]
    public async Task ClaimByInvoke_ReturnsTheNewCard_UpdatesItForEveryone_AndTellsTheCompany()
    {
        var (company, ticket) = await TicketPostedAsync();

        using var response = await PostAsync(Invoke("claim", ticket, from: "aad-anna"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(200, body["statusCode"]!.GetValue<int>());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body["type"]!.GetValue<string>());
        Assert.Contains("Anna (Almi Företagspartner) har ärendet", Relaxed(body["value"]!), StringComparison.Ordinal);
        Assert.Empty(await AdaptiveCardValidator.ProblemsAsync(body["value"]!.ToJsonString()));

        await ChatSteps.DrainOutboxAsync(_app);
        var update = Assert.Single(_teams.Requests, r => r.Operation == ConnectorOperation.UpdateActivity);
        Assert.Equal((ticket.AdvisorConversationId, ticket.AdvisorActivityId), (update.ConversationId, update.ActivityId));
        var updated = update.Body!["attachments"]![0]!["content"]!;
        Assert.Contains("Anna (Almi Företagspartner) har ärendet", Relaxed(updated), StringComparison.Ordinal);
        Assert.Empty(await AdaptiveCardValidator.ProblemsAsync(updated.ToJsonString()));
        Assert.Contains(await ChatSteps.TextsAsync(company), t => t.StartsWith($"Anna på Almi Företagspartner har ditt ärende {TestClock.Ticket(1)} och kontaktar dig senast {TestClock.SwedishDeadline}.", StringComparison.Ordinal));
        Assert.Equal(TicketStatus.Claimed, (await TicketAsync()).Status);
    }

    [Fact]
    public async Task ANonMember_AnAdvisorOutsideTheTeam_AndAnotherTenant_AreRefused_AndNothingChanges()
    {
        var (_, ticket) = await TicketPostedAsync();

        using var stranger = await PostAsync(Invoke("claim", ticket, from: "aad-mallory"));
        using var otherTeam = await PostAsync(Invoke("claim", ticket, from: "aad-anna", team: "19:other-team@thread.tacv2"));
        using var otherTenant = await PostAsync(Invoke("claim", ticket, from: "aad-anna", tenant: "0b6f1f43-0000-4000-8000-000000000001"));
        using var submit = await PostAsync(SubmitMessage(new JsonObject { ["verb"] = "resolve", ["ticket"] = ticket.Number, ["outcome"] = "answered" }, ticket, from: "aad-mallory"));

        foreach (var response in new[] { stranger, otherTeam, otherTenant })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.Equal(403, body["statusCode"]!.GetValue<int>());
            Assert.Contains("behörighet", body["value"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, submit.StatusCode);
        await ChatSteps.DrainOutboxAsync(_app);
        var refusal = Assert.Single(_teams.Requests, r => r.Text?.Contains("behörighet", StringComparison.Ordinal) == true);
        Assert.Equal(ticket.AdvisorConversationId, refusal.ConversationId);
        Assert.Equal(TicketStatus.Open, (await TicketAsync()).Status);
        Assert.DoesNotContain(_teams.Requests, r => r.Operation == ConnectorOperation.UpdateActivity);
        await using var db = await Db();
        Assert.Equal(4, await db.TicketEvents.CountAsync(e => e.Action == TicketAction.Refused));
    }

    [Fact]
    public async Task RequestsWithoutAValidChannelToken_NeverReachTheBot()
    {
        var (_, ticket) = await TicketPostedAsync();
        var turnsBefore = _app.TurnsReceived.Count;

        using var none = await PostAsync(Invoke("claim", ticket, from: "aad-anna"), token: null);
        using var unsigned = await PostAsync(Invoke("claim", ticket, from: "aad-anna"), token: FakeTokenIssuer.CreateUnsignedToken(_appId, _teams.ServiceUrl.AbsoluteUri));

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(turnsBefore, _app.TurnsReceived.Count);
        Assert.Equal(TicketStatus.Open, (await TicketAsync()).Status);
    }

    [Fact]
    public async Task AnAnonymousRequestPosingAsTeams_GetsNoAdvisorRights()
    {
        // The development switch lets anonymous requests reach the bot; one that says it is Teams, from the
        // right tenant and team, by an advisor in the directory, is still refused: nothing authenticated it.
        using var open = new BotApp(
            new Dictionary<string, string?>
            {
                ["Bot:AllowUnauthenticatedMessages"] = "true",
                ["Teams:TenantId"] = Tenant,
                ["Teams:TeamId"] = TeamId,
                ["Teams:ChannelId"] = AdvisorsChannel,
                ["Advisors:Directory:0:Name"] = "Anna",
                ["Advisors:Directory:0:OrganisationId"] = "almi",
                ["Advisors:Directory:0:AadObjectId"] = "aad-anna",
                ["Outbox:Enabled"] = "false",
                ["Sla:Enabled"] = "false",
            },
            s => s.AddSingleton<TimeProvider>(_clock));
        await ChatSteps.CompleteHandoffAsync(open);
        await using var db = await open.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        var ticket = await db.Tickets.AsNoTracking().SingleAsync();
        ticket.AdvisorConversationId = AdvisorsChannel + ";messageid=1";
        var activity = Invoke("claim", ticket, from: "aad-anna");
        activity["serviceUrl"] = "http://127.0.0.1:9/";
        using var http = open.CreateHttpClient();

        using var response = await http.PostAsync("api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(403, (await response.Content.ReadFromJsonAsync<JsonObject>())!["statusCode"]!.GetValue<int>());
        Assert.Equal(TicketStatus.Open, (await db.Tickets.AsNoTracking().SingleAsync()).Status);
        Assert.Equal("unauthenticated", (await db.TicketEvents.AsNoTracking().SingleAsync(e => e.Action == TicketAction.Refused)).Detail);
    }

    [Fact]
    public async Task AtTheDeadline_TheCoordinatorIsMentionedInTheTicketsThread()
    {
        var (_, ticket) = await TicketPostedAsync();

        _clock.SetUtcNow(TestClock.MondayDeadline);
        Assert.Equal(1, await _app.Services.GetRequiredService<SlaMonitor>().RunOnceAsync(CancellationToken.None));
        await ChatSteps.DrainOutboxAsync(_app);

        var escalation = Assert.Single(_teams.Requests, r => r.Text?.Contains("Deadline passerad", StringComparison.Ordinal) == true);
        Assert.Equal(ticket.AdvisorConversationId, escalation.ConversationId);
        Assert.StartsWith("<at>Sven</at> ", escalation.Text, StringComparison.Ordinal);
        Assert.StartsWith($"Sven Deadline passerad: ärende {TestClock.Ticket(1)}", await ShownAsync(escalation.Text!), StringComparison.Ordinal);
        var mention = escalation.Body!["entities"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "mention")!;
        Assert.Equal("aad-sven", mention["mentioned"]!["id"]!.GetValue<string>());
        var update = _teams.Requests.Last(r => r.Operation == ConnectorOperation.UpdateActivity);
        Assert.Contains("DEADLINE PASSERAD", Relaxed(update.Body!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAConfiguredTeam_TheFirstInstallationsTeamIsKept_AnotherTeamCannotTakeTheChannel()
    {
        var settings = _teams.BotConfiguration(_appId, _issuer);
        settings["Teams:TenantId"] = Tenant;
        settings["Outbox:Enabled"] = "false";
        settings["Sla:Enabled"] = "false";
        using var app = new BotApp(settings, s => s.AddSingleton<TimeProvider>(_clock));
        var registry = app.Services.GetRequiredService<AdvisorChannelRegistry>();

        using (await PostAsync(Installation(), app: app))
        {
        }

        var other = Installation();
        other["conversation"]!["id"] = "19:elsewhere@thread.tacv2";
        other["channelData"]!["team"]!["id"] = "19:other-team@thread.tacv2";
        other["channelData"]!["settings"]!["selectedChannel"]!["id"] = "19:elsewhere@thread.tacv2";
        using (await PostAsync(other, app: app))
        {
        }

        var channel = await registry.GetAsync(CancellationToken.None);
        Assert.Equal((TeamId, AdvisorsChannel), (channel!.TeamId, channel.ConversationId));
    }

    [Fact]
    public async Task WithoutAConfiguredTeam_AnInstallationWaitsForACoordinator_BeforeTakingOverTheLocalPage()
    {
        using var app = AppWithoutTeam();
        var registry = app.Services.GetRequiredService<AdvisorChannelRegistry>();
        var page = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(app, await LocalAdvisorLoopTests.SignedInAdvisorAsync(app));
        Assert.Equal("directline", (await registry.GetAsync(CancellationToken.None))!.ChannelId);

        using (await PostAsync(Installation(), app: app))
        {
        }

        // The page stays the advisors' channel; the new channel and the page are told what it takes.
        Assert.Equal(("directline", page.ConversationId), await ChannelAsync(registry));
        Assert.Contains(_teams.Requests, r => r.ConversationId == AdvisorsChannel && r.Text?.Contains("samordnare", StringComparison.Ordinal) == true);
        var notice = Assert.Single(await ShownPageTextsAsync(page), t => t.Contains("bekräfta kanalbyte", StringComparison.Ordinal));
        Assert.Contains("Exportcentrum", notice, StringComparison.Ordinal);

        // The first local advisor is the coordinator; confirming on the page moves the channel to Teams.
        using (await page.PostMessageAsync("Bekräfta kanalbyte", "confirm-1"))
        {
        }

        Assert.Equal(("msteams", AdvisorsChannel), await ChannelAsync(registry));
        Assert.Equal(TeamId, (await registry.GetAsync(CancellationToken.None))!.TeamId);
        Assert.Contains(await ShownPageTextsAsync(page), t => t.StartsWith("Klart", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutAConfiguredTeam_AnotherTeamsInstallation_MovesTheChannelOnlyWhenACoordinatorConfirmsIt()
    {
        using var app = AppWithoutTeam();
        var registry = app.Services.GetRequiredService<AdvisorChannelRegistry>();
        using (await PostAsync(Installation(), app: app))
        {
        }

        const string Elsewhere = "19:elsewhere@thread.tacv2";
        var other = Installation();
        other["conversation"]!["id"] = Elsewhere;
        other["channelData"]!["team"]!["id"] = "19:other-team@thread.tacv2";
        other["channelData"]!["settings"]!["selectedChannel"]!["id"] = Elsewhere;
        using (await PostAsync(other, app: app))
        {
        }

        Assert.Equal(("msteams", AdvisorsChannel), await ChannelAsync(registry));
        Assert.Contains(_teams.Requests, r => r.Operation == ConnectorOperation.CreateConversation
            && r.Body!["channelData"]!["channel"]!["id"]!.GetValue<string>() == AdvisorsChannel
            && r.Text?.Contains("bekräfta kanalbyte", StringComparison.Ordinal) == true);

        // Anna is an advisor, not a coordinator: she is told who can. Sven, the coordinator, confirms.
        using (await PostAsync(Mention(AdvisorsChannel, "aad-anna", "bekräfta kanalbyte"), app: app))
        {
        }

        Assert.Contains(_teams.Requests, r => r.Text?.StartsWith("Bara en samordnare", StringComparison.Ordinal) == true);
        Assert.Equal(("msteams", AdvisorsChannel), await ChannelAsync(registry));
        using (await PostAsync(Mention(AdvisorsChannel, "aad-sven", "bekräfta kanalbyte"), app: app))
        {
        }

        Assert.Equal(("msteams", Elsewhere), await ChannelAsync(registry));
        Assert.Equal("19:other-team@thread.tacv2", (await registry.GetAsync(CancellationToken.None))!.TeamId);
    }

    [Fact]
    public async Task WhenTheAdvisorsMoveFromTheLocalPageToTeams_OpenTicketsArePostedAgainInTeams()
    {
        var advisor = await LocalAdvisorLoopTests.SignedInAdvisorAsync(_app);
        var page = await LocalAdvisorLoopTests.OpenAdvisorsPageAsync(_app, advisor);
        await ChatSteps.CompleteHandoffAsync(_app);
        await ChatSteps.DrainOutboxAsync(_app);
        await LocalAdvisorLoopTests.CardAsync(page, TestClock.Ticket(1));

        using (await PostAsync(Installation()))
        {
        }

        var ticket = await TicketAsync();
        using (await PostAsync(Invoke("claim", ticket, from: "aad-anna")))
        {
        }

        await ChatSteps.DrainOutboxAsync(_app);
        var post = Assert.Single(_teams.Requests, r => r.Operation == ConnectorOperation.CreateConversation);
        Assert.Contains("Anna (Almi Företagspartner) har ärendet", Relaxed(post.Body!), StringComparison.Ordinal);
        Assert.StartsWith(AdvisorsChannel + ";messageid=", (await TicketAsync()).AdvisorConversationId, StringComparison.Ordinal);
        Assert.Equal(0, await PendingAsync());
    }

    [Fact]
    public async Task ATeamsAdvisorTakenOutOfTheDirectory_LosesTheRightsAtTheNextStart()
    {
        var (_, ticket) = await TicketPostedAsync();
        await using (var db = await Db())
        {
            Assert.True((await db.Advisors.SingleAsync(a => a.AadObjectId == "aad-anna")).Active);
        }

        // The directory without Anna, as after a configuration change and a restart.
        var options = _app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AdvisorOptions>>().Value;
        options.Directory.RemoveAll(a => a.AadObjectId == "aad-anna");
        await _app.Services.GetRequiredService<AdvisorDirectory>().SeedAsync(CancellationToken.None);

        using var response = await PostAsync(Invoke("claim", ticket, from: "aad-anna"));
        Assert.Equal(403, (await response.Content.ReadFromJsonAsync<JsonObject>())!["statusCode"]!.GetValue<int>());
        Assert.Equal(TicketStatus.Open, (await TicketAsync()).Status);
    }

    [Fact]
    public async Task Reassign_ByActionSubmitWithTheChosenOrganisation_ReopensForThatOrganisation_AndTellsTheCompany()
    {
        var (company, ticket) = await TicketPostedAsync();
        using (await PostAsync(Invoke("claim", ticket, from: "aad-anna")))
        {
        }

        // An older Teams client sends the Action.Submit fallback: the data with the form's input merged in.
        using (await PostAsync(SubmitMessage(new JsonObject { ["verb"] = "reassign", ["ticket"] = ticket.Number, ["organisation"] = "een" }, ticket, from: "aad-anna")))
        {
        }

        await ChatSteps.DrainOutboxAsync(_app);
        var now = await TicketAsync();
        Assert.Equal((TicketStatus.Open, "een", (long?)null), (now.Status, now.AssignedOrganisationId, now.ClaimedByAdvisorId));
        var een = _app.Services.GetRequiredService<ExportCenter.Knowledge.KnowledgeBase.KnowledgeBase>().OrganisationsById["een"].Name.Sv;
        Assert.Contains(await ChatSteps.TextsAsync(company), t => t.StartsWith($"Ditt ärende {TestClock.Ticket(1)} har lämnats över till {een}, som kontaktar dig senast {TestClock.SwedishDeadline}.", StringComparison.Ordinal));
        var card = Relaxed(_teams.Requests.Last(r => r.Operation == ConnectorOperation.UpdateActivity).Body!);
        Assert.Contains("flyttade ärendet till " + een, card, StringComparison.Ordinal);
        Assert.Contains("Ta ärendet", card, StringComparison.Ordinal);

        // An organisation id that is not in the knowledge base is refused.
        using (await PostAsync(SubmitMessage(new JsonObject { ["verb"] = "reassign", ["ticket"] = ticket.Number, ["organisation"] = "nobody" }, ticket, from: "aad-anna")))
        {
        }

        await ChatSteps.DrainOutboxAsync(_app);
        Assert.Contains(_teams.Requests, r => r.Text == "Välj en organisation i listan.");
        Assert.Equal("een", (await TicketAsync()).AssignedOrganisationId);
    }

    [Fact]
    public async Task MentioningTheBotOutsideATicketsThread_ListsTheOpenTickets()
    {
        var (_, ticket) = await TicketPostedAsync();
        var root = ThreadMessage(ticket, "<at>ExportCenter</at> status", mention: true);
        root["conversation"]!["id"] = AdvisorsChannel;

        using (await PostAsync(root))
        {
        }

        var reply = Assert.Single(_teams.Requests, r => r.Text?.StartsWith("Öppna ärenden:", StringComparison.Ordinal) == true);
        Assert.Contains($"{TestClock.Ticket(1)}: väntar på en rådgivare", reply.Text, StringComparison.Ordinal);
        Assert.Equal(AdvisorsChannel, reply.ConversationId);
    }

    [Fact]
    public async Task Relay_CompanyToThread_AndAdvisorMentionOrReplyActionToCompany_EndsWithResolve()
    {
        var (company, ticket) = await TicketPostedAsync();
        using (await PostAsync(Invoke("claim", ticket, from: "aad-anna")))
        {
        }

        // The company writes: it goes into the ticket's thread, and the knowledge base stays silent.
        var before = (await company.HistoryAsync()).Count;
        using (await company.PostMessageAsync("Vi är på kontoret till 16", "c-1"))
        {
        }

        await ChatSteps.DrainOutboxAsync(_app);
        Assert.Equal(before + 2, (await company.HistoryAsync()).Count); // its message and the claim notice, no answer
        var relayed = Assert.Single(_teams.Requests, r => r.Text?.EndsWith("Vi är på kontoret till 16", StringComparison.Ordinal) == true);
        Assert.Equal(ticket.AdvisorConversationId, relayed.ConversationId);
        Assert.Equal($"{TestClock.Ticket(1)} · Anna Berg (Ludvika Gjuteri AB): Vi är på kontoret till 16", await ShownAsync(relayed.Text!));

        // The advisor answers in the thread mentioning the bot; a message without a mention stays in Teams.
        using (await PostAsync(ThreadMessage(ticket, "<at>ExportCenter</at> Jag ringer 15.30", mention: true)))
        {
        }

        using (await PostAsync(ThreadMessage(ticket, "Anna, ta du den här", mention: false)))
        {
        }

        // And through the card's Reply action (Action.Submit, as older clients send it).
        using (await PostAsync(SubmitMessage(new JsonObject { ["verb"] = "reply", ["ticket"] = ticket.Number, ["reply"] = "Eller i morgon bitti om det passar bättre." }, ticket, from: "aad-anna")))
        {
        }

        await ChatSteps.DrainOutboxAsync(_app);
        var texts = await ChatSteps.TextsAsync(company);
        Assert.Contains("Anna, Almi Företagspartner: Jag ringer 15.30", texts);
        Assert.Contains("Anna, Almi Företagspartner: Eller i morgon bitti om det passar bättre.", texts);
        Assert.DoesNotContain(texts, t => t.Contains("ta du den här", StringComparison.Ordinal));

        // Resolve ends the relay: the company is told, and its next question gets the bot's answer again.
        using (await PostAsync(Invoke("resolve", ticket, from: "aad-anna", inputs: new JsonObject { ["outcome"] = "referred" })))
        {
        }

        await ChatSteps.DrainOutboxAsync(_app);
        Assert.Contains(await ChatSteps.TextsAsync(company), t => t.StartsWith($"Anna på Almi Företagspartner har avslutat ditt ärende {TestClock.Ticket(1)}", StringComparison.Ordinal));
        var threadMessagesBefore = _teams.Requests.Count(r => r.ConversationId == ticket.AdvisorConversationId && r.Operation != ConnectorOperation.UpdateActivity);
        var historyBefore = (await company.HistoryAsync()).Count;
        using (await company.PostMessageAsync("Hur skaffar vi ett EORI-nummer?", "c-2"))
        {
        }

        await ChatSteps.DrainOutboxAsync(_app);
        Assert.True((await company.HistoryAsync()).Count > historyBefore + 1);
        Assert.Equal(threadMessagesBefore, _teams.Requests.Count(r => r.ConversationId == ticket.AdvisorConversationId && r.Operation != ConnectorOperation.UpdateActivity));
        var last = _teams.Requests.Last(r => r.Operation == ConnectorOperation.UpdateActivity).Body!["attachments"]![0]!["content"]!;
        Assert.DoesNotContain("Action.Execute", last.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_ACompanysMarkdownAndWebAddresses_ShowInTheThreadAsWritten_WithNoLink()
    {
        var (company, ticket) = await TicketPostedAsync();
        using (await PostAsync(Invoke("claim", ticket, from: "aad-anna")))
        {
        }

        using (await company.PostMessageAsync("Se [faktura.pdf](https://evil.example/f) **nu**, eller https://evil.example/pay", "c-h"))
        {
        }

        await ChatSteps.DrainOutboxAsync(_app);
        var relayed = Assert.Single(_teams.Requests, r => r.ConversationId == ticket.AdvisorConversationId && r.Text?.Contains("evil", StringComparison.Ordinal) == true);
        Assert.Equal("markdown", relayed.Body!["textFormat"]?.GetValue<string>());
        var html = (await WebChatMarkdown.RenderAsync([relayed.Text!]))[0];
        Assert.Equal(["p"], WebChatMarkdown.Elements(html));
        Assert.Equal(
            $"{TestClock.Ticket(1)} · Anna Berg (Ludvika Gjuteri AB): Se [faktura[.]pdf](https[://]evil[.]example/f) **nu**, eller https[://]evil[.]example/pay",
            WebChatMarkdown.VisibleText(html));
    }

    [Fact]
    public async Task Outbox_RetriesThrough429And500_HonouringRetryAfter_WithoutDuplicates()
    {
        await PostAsync(Installation());
        _teams.FailNext(1, HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(30));
        _teams.FailNext(1, HttpStatusCode.InternalServerError);
        await ChatSteps.CompleteHandoffAsync(_app);
        var processor = _app.Services.GetRequiredService<OutboxProcessor>();

        await processor.ProcessDueAsync(CancellationToken.None); // 429 with Retry-After: 30
        Assert.Single(_teams.FailedAttempts);
        _clock.Advance(TimeSpan.FromSeconds(29));
        await processor.ProcessDueAsync(CancellationToken.None);
        Assert.Single(_teams.FailedAttempts); // Retry-After honoured: no attempt before 30 s
        _clock.Advance(TimeSpan.FromSeconds(2));
        await processor.ProcessDueAsync(CancellationToken.None); // 500
        Assert.Equal(2, _teams.FailedAttempts.Count);
        _clock.Advance(TimeSpan.FromSeconds(6));
        await processor.ProcessDueAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(20));
        await processor.ProcessDueAsync(CancellationToken.None);

        Assert.Single(_teams.Requests, r => r.Operation == ConnectorOperation.CreateConversation);
        await using var db = await Db();
        var row = await db.Outbox.AsNoTracking().SingleAsync(m => m.Kind == OutboxKinds.AdvisorCardPost);
        Assert.NotNull(row.SentAt);
        Assert.Equal(3, row.Attempts);
    }

    [Fact]
    public async Task WhenTeamsAnswers500ForAMinute_TicketsAreSafe_AndEverythingGoesOutOnceWhenItIsBack()
    {
        var (company, ticket) = await TicketPostedAsync();
        var processor = _app.Services.GetRequiredService<OutboxProcessor>();
        var outage = _teams.StartFailing(HttpStatusCode.InternalServerError);
        var start = _clock.GetUtcNow();

        // During the outage: a claim (card update for everyone), the company's message to the thread, a second ticket's card.
        using (await PostAsync(Invoke("claim", ticket, from: "aad-anna")))
        {
        }

        using (await company.PostMessageAsync("Vi väntar på ert samtal", "c-3"))
        {
        }

        var second = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        foreach (var line in new[] { "prata med en människa", "ja", "Falu Trä AB", "hoppa över", "Sara Lind", "sara@falutra.se", "Falun", "svenska", "Vi vill exportera trähus till Norge." })
        {
            using var r = await second.PostMessageAsync(line, Guid.NewGuid().ToString("N"));
        }

        // Each round moves the fake clock 1 s: 60 rounds of outage, then at most 1,800 until all is sent.
        while (_clock.GetUtcNow() - start < TimeSpan.FromMinutes(1))
        {
            await processor.ProcessDueAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var failedDuringOutage = _teams.FailedAttempts.Count;
        outage.Dispose();
        var back = _clock.GetUtcNow();
        await using (var db = await Db())
        {
            Assert.Equal(2, await db.Tickets.CountAsync());
        }

        while (await PendingAsync() > 0 && _clock.GetUtcNow() - back < TimeSpan.FromMinutes(30))
        {
            await processor.ProcessDueAsync(CancellationToken.None);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        var deliveredAfter = _clock.GetUtcNow() - back;
        var pending = await PendingAsync();
        Assert.True(pending == 0, $"{pending} outbox messages were still unsent 30 minutes (fake clock) after Teams came back.");
        Assert.Single(_teams.Requests, r => r.Operation == ConnectorOperation.CreateConversation && r.Body!.ToJsonString().Contains($"{TestClock.Ticket(2)}", StringComparison.Ordinal)); // the second ticket's card, once
        Assert.Single(_teams.Requests, r => r.Operation == ConnectorOperation.UpdateActivity && r.ConversationId == ticket.AdvisorConversationId);
        Assert.Single(_teams.Requests, r => r.Text?.EndsWith("Vi väntar på ert samtal", StringComparison.Ordinal) == true);
        Measurements.Record($"Teams connector answering 500 for 1 min (fake clock, 1 s steps): {failedDuringOutage} failed attempts for 3 messages, all tickets kept; after it came back all delivered within {deliveredAfter.TotalSeconds:0} s, each exactly once");
    }

    /// <summary>A host whose advisors' team is learned from the installation (Teams:TeamId empty), with the directory of the tests.</summary>
    private BotApp AppWithoutTeam()
    {
        var settings = _teams.BotConfiguration(_appId, _issuer);
        settings["Teams:TenantId"] = Tenant;
        settings["Advisors:Directory:0:Name"] = "Anna";
        settings["Advisors:Directory:0:OrganisationId"] = "almi";
        settings["Advisors:Directory:0:AadObjectId"] = "aad-anna";
        settings["Advisors:Directory:1:Name"] = "Sven";
        settings["Advisors:Directory:1:OrganisationId"] = "region-dalarna";
        settings["Advisors:Directory:1:AadObjectId"] = "aad-sven";
        settings["Advisors:Directory:1:IsCoordinator"] = "true";
        settings["Outbox:Enabled"] = "false";
        settings["Sla:Enabled"] = "false";
        return new BotApp(settings, s => s.AddSingleton<TimeProvider>(_clock));
    }

    private static async Task<(string Channel, string Conversation)> ChannelAsync(AdvisorChannelRegistry registry)
    {
        var channel = await registry.GetAsync(CancellationToken.None);
        return (channel!.ChannelId, channel.ConversationId);
    }

    private static async Task<IReadOnlyList<string>> ShownPageTextsAsync(DirectLineClient page) =>
        [.. (await WebChatMarkdown.RenderAsync(await ChatSteps.TextsAsync(page))).Select(WebChatMarkdown.VisibleText)];

    private async Task<int> PendingAsync()
    {
        await using var db = await Db();
        return await db.Outbox.CountAsync(m => m.SentAt == null);
    }

    private async Task<(DirectLineClient Company, Ticket Ticket)> TicketPostedAsync()
    {
        using (var installed = await PostAsync(Installation()))
        {
            Assert.Equal(HttpStatusCode.OK, installed.StatusCode);
        }

        var company = await ChatSteps.CompleteHandoffAsync(_app);
        await ChatSteps.DrainOutboxAsync(_app);
        var ticket = await TicketAsync();
        Assert.NotNull(ticket.AdvisorActivityId);
        return (company, ticket);
    }

    private async Task<HttpResponseMessage> PostAsync(JsonObject activity, string? token = "valid", BotApp? app = null)
    {
        using var http = (app ?? _app).CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/messages") { Content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token == "valid" ? _issuer.CreateToken(_appId, _teams.ServiceUrl.AbsoluteUri) : token);
        }

        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private JsonObject Teams(string type, string conversationId, string from, string? team = TeamId, string tenant = Tenant) => new()
    {
        ["type"] = type,
        ["id"] = "1" + Random.Shared.NextInt64(100_000_000_000, 999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["channelId"] = "msteams",
        ["serviceUrl"] = _teams.ServiceUrl.AbsoluteUri,
        ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
        ["locale"] = "sv-SE",
        ["from"] = new JsonObject { ["id"] = "29:" + from, ["name"] = from, ["aadObjectId"] = from },
        ["recipient"] = new JsonObject { ["id"] = "28:" + _appId, ["name"] = "ExportCenter" },
        ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = tenant },
        ["channelData"] = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = tenant },
            ["team"] = team is null ? null : new JsonObject { ["id"] = team, ["name"] = "Exportcentrum" },
            ["channel"] = new JsonObject { ["id"] = AdvisorsChannel },
        },
    };

    private JsonObject Installation()
    {
        var activity = Teams("installationUpdate", AdvisorsChannel, "aad-owner");
        activity["action"] = "add";
        activity["channelData"]!["settings"] = new JsonObject { ["selectedChannel"] = new JsonObject { ["id"] = AdvisorsChannel } };
        return activity;
    }

    private JsonObject Invoke(string verb, Ticket ticket, string from, string team = TeamId, string tenant = Tenant, JsonObject? inputs = null)
    {
        var data = new JsonObject { ["verb"] = verb, ["ticket"] = ticket.Number };
        foreach (var (key, value) in inputs ?? [])
        {
            data[key] = value?.DeepClone();
        }

        var activity = Teams("invoke", ticket.AdvisorConversationId!, from, team, tenant);
        activity["name"] = "adaptiveCard/action";
        activity["replyToId"] = ticket.AdvisorActivityId;
        activity["value"] = new JsonObject
        {
            ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data },
            ["trigger"] = "manual",
        };
        return activity;
    }

    private JsonObject SubmitMessage(JsonObject value, Ticket ticket, string from)
    {
        var activity = Teams("message", ticket.AdvisorConversationId!, from);
        activity["replyToId"] = ticket.AdvisorActivityId;
        activity["value"] = value;
        return activity;
    }

    private JsonObject ThreadMessage(Ticket ticket, string text, bool mention) => Message(ticket.AdvisorConversationId!, "aad-anna", text, mention);

    /// <summary>A message that mentions the bot, as Teams sends it.</summary>
    private JsonObject Mention(string conversationId, string from, string text) => Message(conversationId, from, "<at>ExportCenter</at> " + text, mention: true);

    private JsonObject Message(string conversationId, string from, string text, bool mention)
    {
        var activity = Teams("message", conversationId, from);
        activity["text"] = text;
        activity["textFormat"] = "plain";
        if (mention)
        {
            activity["entities"] = new JsonArray(new JsonObject
            {
                ["type"] = "mention",
                ["mentioned"] = new JsonObject { ["id"] = "28:" + _appId, ["name"] = "ExportCenter" },
                ["text"] = "<at>ExportCenter</at>",
            });
        }

        return activity;
    }

    private async Task<Ticket> TicketAsync()
    {
        await using var db = await Db();
        return await db.Tickets.AsNoTracking().OrderBy(t => t.Id).FirstAsync();
    }

    private Task<BotDbContext> Db() => _app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();

    /// <summary>What an advisor reads of a message's markdown.</summary>
    private static async Task<string> ShownAsync(string markdown) => WebChatMarkdown.VisibleText((await WebChatMarkdown.RenderAsync([markdown]))[0]);

    private static string Relaxed(JsonNode node) =>
        node.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
