using System.Security.Claims;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

// The stock Bot Builder 4.23.1 echo bot, as the samples build it: CloudAdapter with the configuration's
// authentication (no app id: anonymous) and a TeamsActivityHandler that answers every message with its text and a
// small Adaptive Card, sent through the connector client to the activity's serviceUrl. One change from the samples,
// as in ../shared/bench/bf-echo: the connector clients share one contract resolver (docs/protocol.md §10; without it
// the SDK rebuilds its serialization contracts on every reply). Nothing else of the bot's own savings (it keeps its
// connector clients, for one): no state, no understanding, the SDK as it comes but for that one setting.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddHttpClient();
builder.Services.AddSingleton<BotFrameworkAuthentication>(sp =>
    new ResolverSharingAuthentication(new ConfigurationBotFrameworkAuthentication(sp.GetRequiredService<IConfiguration>(), httpClientFactory: sp.GetRequiredService<IHttpClientFactory>())));
builder.Services.AddSingleton<IBotFrameworkHttpAdapter>(sp =>
    new CloudAdapter(sp.GetRequiredService<BotFrameworkAuthentication>(), sp.GetRequiredService<ILogger<CloudAdapter>>()));
builder.Services.AddTransient<IBot, EchoBot>();
var app = builder.Build();

app.MapGet("/healthz", () => "Healthy");
app.MapPost("/api/messages", (HttpRequest request, HttpResponse response, IBotFrameworkHttpAdapter adapter, IBot bot) =>
    adapter.ProcessAsync(request, response, bot));
app.Run();

/// <summary>Echoes every message with a small Adaptive Card, as the bot answers with cards.</summary>
internal sealed class EchoBot : TeamsActivityHandler
{
    private const string Card = """{"type":"AdaptiveCard","version":"1.5","body":[{"type":"TextBlock","text":"echo","wrap":true}]}""";

    protected override Task OnMessageActivityAsync(ITurnContext<IMessageActivity> turnContext, CancellationToken cancellationToken)
    {
        var attachment = new Attachment { ContentType = "application/vnd.microsoft.card.adaptive", Content = JObject.Parse(Card) };
        return turnContext.SendActivityAsync(MessageFactory.Attachment(attachment, "echo: " + turnContext.Activity.Text), cancellationToken);
    }
}

/// <summary>The SDK's authentication, whose connector clients (one per turn, as the SDK makes them) share one resolver.</summary>
internal sealed class ResolverSharingAuthentication(BotFrameworkAuthentication inner) : BotFrameworkAuthentication
{
    public override async Task<AuthenticateRequestResult> AuthenticateRequestAsync(Activity activity, string authHeader, CancellationToken cancellationToken)
    {
        var result = await inner.AuthenticateRequestAsync(activity, authHeader, cancellationToken);
        result.ConnectorFactory = new Factory(result.ConnectorFactory);
        return result;
    }

    public override Task<AuthenticateRequestResult> AuthenticateStreamingRequestAsync(string authHeader, string channelIdHeader, CancellationToken cancellationToken) =>
        inner.AuthenticateStreamingRequestAsync(authHeader, channelIdHeader, cancellationToken);

    public override ConnectorFactory CreateConnectorFactory(ClaimsIdentity claimsIdentity) => new Factory(inner.CreateConnectorFactory(claimsIdentity));

    public override Task<UserTokenClient> CreateUserTokenClientAsync(ClaimsIdentity claimsIdentity, CancellationToken cancellationToken) =>
        inner.CreateUserTokenClientAsync(claimsIdentity, cancellationToken);

    private sealed class Factory(ConnectorFactory inner) : ConnectorFactory
    {
        private static readonly Newtonsoft.Json.Serialization.IContractResolver Writing = new Microsoft.Rest.Serialization.ReadOnlyJsonContractResolver();
        private static readonly Newtonsoft.Json.Serialization.IContractResolver Reading = new Microsoft.Rest.Serialization.ReadOnlyJsonContractResolver();

        public override async Task<IConnectorClient> CreateAsync(string serviceUrl, string audience, CancellationToken cancellationToken)
        {
            var client = await inner.CreateAsync(serviceUrl, audience, cancellationToken);
            client.SerializationSettings.ContractResolver = Writing;
            client.DeserializationSettings.ContractResolver = Reading;
            return client;
        }
    }
}
