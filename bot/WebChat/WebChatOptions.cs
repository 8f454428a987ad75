using System.ComponentModel.DataAnnotations;

namespace ExportCenter.Bot.WebChat;

/// <summary>Settings of the chat page (section "WebChat").</summary>
public sealed class WebChatOptions
{
    public const string SectionName = "WebChat";

    /// <summary>
    /// Which Direct Line the page talks to: <c>Embedded</c> (this host's channel, the default) or
    /// <c>Azure</c> (Azure Bot Service's Direct Line, with a token the server gets for the page).
    /// </summary>
    public DirectLineMode DirectLine { get; set; } = DirectLineMode.Embedded;

    /// <summary>The Azure Direct Line secret (Azure mode). Never sent to the browser.</summary>
    public string? AzureDirectLineSecret { get; set; }

    /// <summary>Azure Direct Line endpoint (Azure mode), e.g. the European one.</summary>
    [Required]
    public Uri AzureDirectLineEndpoint { get; set; } = new("https://europe.directline.botframework.com/v3/directline");

    /// <summary>Link to the privacy notice shown on the page.</summary>
    public string PrivacyNoticeUrl { get; set; } = "/privacy";
}

public enum DirectLineMode
{
    Embedded,
    Azure,
}
