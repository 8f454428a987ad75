using ExportCenter.Bot.Insight;
using ExportCenter.Bot.Language;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Channels.BotFramework;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.WebChat;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Hosting;

/// <summary>The request pipeline and the endpoints, in the order they must run.</summary>
public static class AppPipeline
{
    /// <summary>
    /// Forwarded headers from trusted proxies first (everything after sees the client's address and scheme) and HSTS,
    /// then the security headers, CORS, rate limits, sign-in, WebSockets and the static pages.
    /// </summary>
    public static WebApplication UseBotPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseReverseProxy();
        app.UseChatPageSecurityHeaders();
        app.UseCors();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseWebSockets();
        app.UsePrivacyNoticeOfLanguageProvider();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        return app;
    }

    /// <summary>/api/messages, the embedded Direct Line (unless turned off), the chat session, the advisors' page (unless turned off), /healthz.</summary>
    public static WebApplication MapBotEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapBotMessages();
        if (app.Services.GetRequiredService<IOptions<DirectLineOptions>>().Value.Enabled)
        {
            app.MapDirectLine();
        }

        app.MapChatSession();
        if (app.Services.GetRequiredService<IOptions<AdvisorOptions>>().Value.LocalPage)
        {
            app.MapAdvisorPage();
            app.MapInsight();
            app.MapAdvisorQueue();
        }

        app.MapHealth();
        Telemetry.TelemetryExtensions.MapBotTelemetry(app);
        return app;
    }

    /// <summary>
    /// The host's options: the top-level appsettings.json is copied next to the binaries, so the bot finds it
    /// whether started with `dotnet run --project bot` or from its published output.
    /// </summary>
    public static WebApplicationOptions Options(string[] args) => new()
    {
        Args = args,
        ContentRootPath = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ? null : AppContext.BaseDirectory,
    };
}
