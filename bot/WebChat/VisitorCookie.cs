using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExportCenter.Bot.Channels.DirectLine;

namespace ExportCenter.Bot.WebChat;

/// <summary>
/// The returning-visitor cookie: signed, httpOnly, and holding only the random conversation and user ids
/// of the visitor's chat, so the chat page can give a returning company its conversation back.
/// </summary>
public sealed class VisitorCookie(ChannelKeyRing keys, TimeProvider time)
{
    public const string Name = "ec_visitor";

    /// <summary>Reads and verifies the cookie; null when absent, forged or malformed.</summary>
    public VisitorIdentity? Read(HttpRequest request)
    {
        var value = request.Cookies[Name];
        var dot = value?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (value is null || dot <= 0)
        {
            return null;
        }

        try
        {
            var payload = value[..dot];
            var signature = Base64Url.DecodeFromChars(value.AsSpan(dot + 1));
            if (!CryptographicOperations.FixedTimeEquals(Sign(payload), signature))
            {
                return null;
            }

            return JsonSerializer.Deserialize(Base64Url.DecodeFromChars(payload), VisitorJsonContext.Default.VisitorIdentity);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes the cookie for the visitor's conversation, valid for <paramref name="period"/>; <paramref name="secure"/>
    /// when the page's public URL is https, also behind a proxy that reaches the bot over http.
    /// </summary>
    public void Write(HttpContext http, VisitorIdentity visitor, TimeSpan period, bool crossSite, bool secure)
    {
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(visitor, VisitorJsonContext.Default.VisitorIdentity));
        var value = payload + "." + Base64Url.EncodeToString(Sign(payload));
        http.Response.Cookies.Append(Name, value, new CookieOptions
        {
            HttpOnly = true,
            Secure = secure,
            // Embedding the chat in another site needs the cookie on cross-site requests, which browsers
            // allow only for SameSite=None on HTTPS.
            SameSite = crossSite && secure ? SameSiteMode.None : SameSiteMode.Lax,
            IsEssential = true,
            Path = "/",
            Expires = time.GetUtcNow() + period,
        });
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(keys.VisitorKey, Encoding.ASCII.GetBytes(payload));
}

/// <summary>What the visitor cookie holds: random ids, no personal data.</summary>
public sealed record VisitorIdentity(
    [property: JsonPropertyName("c")] string ConversationId,
    [property: JsonPropertyName("u")] string UserId);

[JsonSerializable(typeof(VisitorIdentity))]
internal sealed partial class VisitorJsonContext : JsonSerializerContext;
