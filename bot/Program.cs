using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Commands;
using ExportCenter.Bot.Hosting;
using ExportCenter.Bot.Knowledge;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Retention;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Telemetry;
using ExportCenter.Bot.Tickets;
using ExportCenter.Bot.WebChat;

if (BotCommands.IsCommand(args))
{
    return BotCommands.Run(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(AppPipeline.Options(args));
builder.AddBotStorage();
builder.AddKnowledgeBase();
builder.AddTickets();
builder.AddOutbox();
builder.AddRetention();
builder.AddAdvisors();
builder.AddBotFramework();
builder.AddDirectLineChannel();
builder.AddWebChatPage();
builder.AddReverseProxy();
builder.AddBotTelemetry();

var app = builder.Build();
var knowledge = app.Services.InitializeKnowledgeBaseAsync();
await app.Services.InitializeStorageAsync();
await knowledge;
if (AdvisorSignInLinkCommand.IsCommand(args))
{
    return await AdvisorSignInLinkCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
}

if (KbReportCommand.IsCommand(args))
{
    return await KbReportCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
}

if (PrivacyCommand.IsCommand(args))
{
    return await PrivacyCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
}

await app.InitializeAdvisorsAsync();
app.UseBotPipeline();
app.MapBotEndpoints();
app.LogChatPageAddress();
app.CompleteStartInBackground();
await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
