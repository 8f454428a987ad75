using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ExportCenter.Bot.Hosting;

/// <summary>Prints where to open the chat once the server listens.</summary>
public static partial class StartupLog
{
    public static void LogChatPageAddress(this WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            foreach (var address in addresses)
            {
                LogChatPage(app.Logger, Browsable(address));
            }
        });

    /// <summary>A listening address as a browser can open it (a wildcard host becomes localhost).</summary>
    public static string Browsable(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.Replace("0.0.0.0", "localhost", StringComparison.Ordinal).Replace("[::]", "localhost", StringComparison.Ordinal).TrimEnd('/');
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "ExportCenter.Bot is ready: open {Address}/ for the chat and {Address}/advisors for the advisors.")]
    private static partial void LogChatPage(ILogger logger, string address);
}
