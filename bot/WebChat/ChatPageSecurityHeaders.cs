using ExportCenter.Bot.Channels.DirectLine;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.WebChat;

/// <summary>
/// Security headers for the chat page and its files: a content security policy that lets the page load
/// only its own scripts and talk only to its Direct Line, and may be framed only by the allowed sites.
/// </summary>
public static class ChatPageSecurityHeaders
{
    public static IApplicationBuilder UseChatPageSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var directLine = http.RequestServices.GetRequiredService<IOptions<DirectLineOptions>>().Value;
        var webChat = http.RequestServices.GetRequiredService<IOptions<WebChatOptions>>().Value;
        var self = DirectLineEndpoints.PublicBaseUrl(http, directLine);
        var socket = $"{(self.Scheme == Uri.UriSchemeHttps ? "wss" : "ws")}://{self.Authority}";
        var connect = webChat.DirectLine == DirectLineMode.Azure
            ? $"'self' {webChat.AzureDirectLineEndpoint.GetLeftPart(UriPartial.Authority)} wss://{webChat.AzureDirectLineEndpoint.Authority}"
            : $"'self' {self.GetLeftPart(UriPartial.Authority)} {socket}";
        var ancestors = string.Join(' ', ["'self'", .. directLine.AllowedOrigins.Select(o => o.TrimEnd('/'))]);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy =
            $"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: https:; " +
            $"media-src 'self' data: blob:; font-src 'self' data:; connect-src {connect}; frame-ancestors {ancestors}; base-uri 'self'; form-action 'self'";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        await next(http);
    });
}
