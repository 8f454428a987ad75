using System.ComponentModel.DataAnnotations;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>Settings of the embedded Direct Line 3.0 channel (section "DirectLine").</summary>
public sealed class DirectLineOptions
{
    public const string SectionName = "DirectLine";

    /// <summary>Serve the embedded channel. Turn off where Azure Bot Service's Direct Line is used.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Base64 key (at least 32 bytes) that signs tokens and visitor cookies. When empty, a key is generated
    /// once and kept in the database, so tokens and cookies survive restarts.
    /// </summary>
    public string? TokenSigningKey { get; set; }

    /// <summary>How long a token is valid; Web Chat refreshes it every 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:16:00", "1.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a returning visitor gets back the same conversation.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan ReturningVisitorPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// Public base URL of this host (e.g. https://export.regiondalarna.se), used for the absolute
    /// WebSocket stream URL. When empty, the URL of the incoming request is used.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary>Interval of the empty keep-alive frames on the WebSocket stream.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether Web Chat on the page uses the WebSocket stream (otherwise it polls).</summary>
    public bool WebSocket { get; set; } = true;

    /// <summary>Polling interval Web Chat uses when it polls.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:00:10")]
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest accepted activity in bytes of JSON (Direct Line's limit is 256K characters).</summary>
    [Range(1024, 1_048_576)]
    public int MaxActivityBytes { get; set; } = 256 * 1024;

    /// <summary>Most activities returned by one GET; the client pages on with the watermark.</summary>
    [Range(1, 1000)]
    public int MaxActivitiesPerGet { get; set; } = 100;

    /// <summary>Origins (scheme://host[:port]) of other websites allowed to embed the chat.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    /// <summary>Rate limits of the channel.</summary>
    public DirectLineRateLimits RateLimits { get; set; } = new();

    /// <summary>Id and name the bot has in embedded conversations.</summary>
    public string BotId { get; set; } = "exportcenter-bot";

    public string BotName { get; set; } = "Exportcentrum Dalarna";
}

/// <summary>
/// Fixed-window request limits, per client address (behind a proxy the address from trusted forwarded headers;
/// an IPv6 address by its /64 network), per conversation and per token, and a cap on open streams per token. A
/// token's count is shared by every token of the same conversation, user and advisor, so the new token a refresh
/// or reconnect hands out does not start a new count.
/// </summary>
public sealed class DirectLineRateLimits
{
    /// <summary>Token requests per client address per window.</summary>
    [Range(1, 100_000)]
    public int TokensPerClient { get; set; } = 30;

    /// <summary>Posted activities per client address per window.</summary>
    [Range(1, 100_000)]
    public int PostsPerClient { get; set; } = 120;

    /// <summary>Posted activities per conversation per window.</summary>
    [Range(1, 100_000)]
    public int PostsPerConversation { get; set; } = 30;

    /// <summary>Token refreshes, starts and reconnects (each hands out a new token) per token per window.</summary>
    [Range(1, 100_000)]
    public int RefreshesPerToken { get; set; } = 20;

    /// <summary>
    /// GET activities per token per window. A polling Web Chat stops polling for good on any error but 403 and 404,
    /// a 429 included, so this leaves room for one GET a second plus one after each post.
    /// </summary>
    [Range(1, 100_000)]
    public int ReadsPerToken { get; set; } = 180;

    /// <summary>WebSocket streams open at once per token (several tabs of one visitor); more are refused with 429.</summary>
    [Range(1, 1000)]
    public int StreamsPerToken { get; set; } = 4;

    /// <summary>Length of the window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
