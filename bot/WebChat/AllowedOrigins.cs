using ExportCenter.Bot.Channels.DirectLine;

namespace ExportCenter.Bot.WebChat;

/// <summary>Which web origins may use the chat: this host itself and the configured embedding sites.</summary>
public static class AllowedOrigins
{
    /// <summary>
    /// True when the request has no Origin, comes from this host, or from an allowed origin. This host is the origin
    /// the request came in on and the public one (<see cref="DirectLineEndpoints.PublicBaseUrl"/>): behind a proxy that
    /// terminates TLS the request reaches the bot over http, from another host name, while the page's origin is the
    /// public https one.
    /// </summary>
    public static bool IsAllowed(HttpContext http, DirectLineOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var origin = http.Request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        var self = $"{http.Request.Scheme}://{http.Request.Host}";
        var published = DirectLineEndpoints.PublicBaseUrl(http, options).GetLeftPart(UriPartial.Authority);
        return string.Equals(origin, self, StringComparison.OrdinalIgnoreCase)
            || string.Equals(origin, published, StringComparison.OrdinalIgnoreCase)
            || options.AllowedOrigins.Any(a => string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
