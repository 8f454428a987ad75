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
if (args is ["advisors", "signin-link", var login, ..])
{
    // A new one-time sign-in link for a local advisor (the first start's link was lost or has expired).
    var directory = app.Services.GetRequiredService<AdvisorDirectory>();
    await directory.SeedAsync(CancellationToken.None);
    await directory.EnsureLocalSignInAsync(CancellationToken.None); // creates the first local account on a fresh database
    var token = await directory.IssueSignInTokenAsync(login, CancellationToken.None);
    if (token is null)
    {
        Console.Error.WriteLine($"No active advisor with the local login '{login}'. Add one under Advisors:Directory with a LocalLogin.");
        return 1;
    }

    var baseUrl = StartupLog.Browsable((app.Configuration["Urls"] ?? "http://localhost:5180").Split(';')[0]);
    Console.WriteLine($"{baseUrl}/advisors/signin?token={token}");
    return 0;
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
