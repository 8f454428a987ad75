using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Channels.BotFramework;
using ExportCenter.Bot.Commands;
using ExportCenter.Bot.Knowledge;
using ExportCenter.Bot.Outbox;
using ExportCenter.Bot.Retention;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Hosting;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Tickets;
using ExportCenter.Bot.WebChat;
using Microsoft.Extensions.Options;

if (BotCommands.IsCommand(args))
{
    return BotCommands.Run(args, Console.Out, Console.Error);
}

// The top-level appsettings.json is copied next to the binaries, so the bot finds it whether started with
// `dotnet run --project bot` or from its published output.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
});

builder.AddBotStorage();
builder.AddKnowledgeBase();
builder.AddTickets();
builder.AddOutbox();
builder.AddRetention();
builder.AddAdvisors();
builder.AddBotFramework();
builder.AddDirectLineChannel();
builder.AddWebChatPage();

var app = builder.Build();
await app.Services.InitializeStorageAsync();
app.Services.InitializeKnowledgeBase();
if (AdvisorSignInLinkCommand.IsCommand(args))
{
    return await AdvisorSignInLinkCommand.RunAsync(app.Services, args, Console.Out, Console.Error);
}

await app.InitializeAdvisorsAsync();

app.UseChatPageSecurityHeaders();
app.UseCors();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseWebSockets();
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapBotMessages();
if (app.Services.GetRequiredService<IOptions<DirectLineOptions>>().Value.Enabled)
{
    app.MapDirectLine();
}

app.MapChatSession();
if (app.Services.GetRequiredService<IOptions<AdvisorOptions>>().Value.LocalPage)
{
    app.MapAdvisorPage();
}

app.MapHealth();
app.LogChatPageAddress();

await app.RunAsync();
return 0;

/// <summary>The entry point, visible to the integration tests' host factory.</summary>
public partial class Program;
