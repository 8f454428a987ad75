using ExportCenter.Bot.Channels.BotFramework;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

// The stock Bot Builder 4.23.1 echo bot, as the samples build it: CloudAdapter with the configuration's
// authentication (no app id: anonymous) and a TeamsActivityHandler that answers every message with its text and a
// small Adaptive Card, sent through the connector client to the activity's serviceUrl. One change from the samples:
// the connector clients share one contract resolver, as the bot's do (docs/protocol.md §10; without it the SDK
// rebuilds its serialization contracts on every reply). No state, no understanding: what the SDK costs at its best.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddHttpClient();
builder.Services.AddSingleton<BotFrameworkAuthentication>(sp =>
    new SharedContractResolverAuthentication(new ConfigurationBotFrameworkAuthentication(sp.GetRequiredService<IConfiguration>(), httpClientFactory: sp.GetRequiredService<IHttpClientFactory>())));
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
