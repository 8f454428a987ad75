using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// Issues and checks the embedded channel's tokens: compact JWTs (HS256) bound to one conversation and one
/// user, with an expiry. Web Chat reads the <c>user</c> claim to know which messages are the visitor's.
/// </summary>
public sealed class DirectLineTokenService(ChannelKeyRing keys, IOptions<DirectLineOptions> options, TimeProvider time)
{
    private const string Issuer = "exportcenter-directline";
    private static readonly byte[] HeaderSegment = Encoding.ASCII.GetBytes(Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8));

    /// <summary>
    /// Creates a token for the conversation and user. An <paramref name="actor"/> (only the signed-in advisors'
    /// page passes one) becomes the <c>from.id</c> the channel stamps on the user's activities; its token also
    /// names the page <paramref name="session"/> it belongs to and never outlives <paramref name="notAfter"/>.
    /// </summary>
    public IssuedToken Issue(string conversationId, string userId, string? actor = null, string? session = null, DateTimeOffset? notAfter = null)
    {
        var now = time.GetUtcNow();
        var expires = now + options.Value.TokenLifetime;
        if (notAfter is { } end && end < expires)
        {
            expires = end > now ? end : now;
        }

        var claims = new TokenClaims(Issuer, conversationId, userId, now.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds()) { Actor = actor, Session = session };
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims, TokenJsonContext.Default.TokenClaims));
        var signingInput = Encoding.ASCII.GetString(HeaderSegment) + "." + payload;
        var signature = Base64Url.EncodeToString(HMACSHA256.HashData(keys.TokenKey, Encoding.ASCII.GetBytes(signingInput)));
        return new IssuedToken(signingInput + "." + signature, (int)(expires - now).TotalSeconds, expires);
    }

    /// <summary>Checks a token: its signature first, then its expiry.</summary>
    public TokenCheck Validate(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return TokenCheck.Missing;
        }

        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Encoding.ASCII.GetString(HeaderSegment))
        {
            return TokenCheck.Invalid;
        }

        var expected = HMACSHA256.HashData(keys.TokenKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        byte[] actual;
        TokenClaims? claims;
        try
        {
            actual = Base64Url.DecodeFromChars(parts[2]);
            if (!CryptographicOperations.FixedTimeEquals(expected, actual))
            {
                return TokenCheck.Invalid;
            }

            claims = JsonSerializer.Deserialize(Base64Url.DecodeFromChars(parts[1]), TokenJsonContext.Default.TokenClaims);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return TokenCheck.Invalid;
        }

        if (claims is null || claims.Issuer != Issuer || string.IsNullOrEmpty(claims.Conversation) || string.IsNullOrEmpty(claims.User))
        {
            return TokenCheck.Invalid;
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(claims.ExpiresAt);
        return time.GetUtcNow() >= expires
            ? new TokenCheck(TokenStatus.Expired, claims.Conversation, claims.User, expires) { Actor = claims.Actor, Session = claims.Session }
            : new TokenCheck(TokenStatus.Valid, claims.Conversation, claims.User, expires) { Actor = claims.Actor, Session = claims.Session };
    }
}

/// <summary>A token, its lifetime in seconds and when it expires.</summary>
public sealed record IssuedToken(string Token, int ExpiresInSeconds, DateTimeOffset ExpiresAt);

/// <summary>Outcome of a token check.</summary>
public enum TokenStatus
{
    Valid,
    Missing,
    Invalid,
    Expired,
}

/// <summary>The status of a token and, when it was genuine, what it is bound to.</summary>
public sealed record TokenCheck(TokenStatus Status, string? ConversationId, string? UserId, DateTimeOffset? ExpiresAt)
{
    /// <summary>Who acts in the conversation, when the token was issued to a signed-in advisor.</summary>
    public string? Actor { get; init; }

    /// <summary>The advisors' page session an advisor's token belongs to.</summary>
    public string? Session { get; init; }

    public static TokenCheck Missing { get; } = new(TokenStatus.Missing, null, null, null);

    public static TokenCheck Invalid { get; } = new(TokenStatus.Invalid, null, null, null);
}

internal sealed record TokenClaims(
    [property: JsonPropertyName("iss")] string Issuer,
    [property: JsonPropertyName("conv")] string Conversation,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("iat")] long IssuedAt,
    [property: JsonPropertyName("exp")] long ExpiresAt)
{
    [JsonPropertyName("act")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Actor { get; init; }

    [JsonPropertyName("sid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Session { get; init; }
}

[JsonSerializable(typeof(TokenClaims))]
internal sealed partial class TokenJsonContext : JsonSerializerContext;
