namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// The bot's Azure Bot Service identity, under the configuration keys the Bot Framework SDK reads at the
/// top level (MicrosoftAppId, MicrosoftAppType, MicrosoftAppTenantId, MicrosoftAppPassword), plus the
/// development switch for <c>/api/messages</c> (section "Bot").
/// </summary>
public sealed class BotFrameworkOptions
{
    public string? MicrosoftAppId { get; set; }

    /// <summary>MultiTenant, SingleTenant or UserAssignedMSI.</summary>
    public string? MicrosoftAppType { get; set; }

    public string? MicrosoftAppTenantId { get; set; }

    /// <summary>
    /// Development only: serve <c>/api/messages</c> without app credentials (e.g. for the Bot Framework
    /// Emulator). Anonymous requests could otherwise pose as any channel, so it is off by default.
    /// </summary>
    public bool AllowUnauthenticatedMessages { get; set; }

    public bool HasCredentials => !string.IsNullOrWhiteSpace(MicrosoftAppId);

    /// <summary>Whether <c>/api/messages</c> is served.</summary>
    public bool MessagesEndpointEnabled => HasCredentials || AllowUnauthenticatedMessages;

    public static readonly string[] AppTypes = ["MultiTenant", "SingleTenant", "UserAssignedMSI"];
}
