using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExportCenter.Bot.Tests.Support;

/// <summary>
/// A stand-in for the Bot Framework's token issuer on loopback: serves OpenID metadata and signing keys
/// (with channel endorsements) over HTTPS with a self-signed certificate, and signs channel tokens the
/// way Azure Bot Service does. The bot's OpenID metadata setting is pointed here.
/// </summary>
public sealed class FakeTokenIssuer : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";
    private const string KeyId = "fake-channel-key";
    private readonly WebApplication _app;
    private readonly RSA _signingKey = RSA.Create(2048);

    private FakeTokenIssuer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    /// <summary>
    /// The issuer's TLS certificate. The SDK fetches metadata with its own static HttpClient that requires
    /// HTTPS and cannot be configured, so the certificate is put in the current user's trusted root store
    /// (which .NET on Linux honours) while the issuer runs, and taken out again on dispose.
    /// </summary>
    public X509Certificate2 Certificate { get; }

    public required Uri MetadataUrl { get; init; }

    public static async Task<FakeTokenIssuer> StartAsync(params string[] endorsedChannels)
    {
        var certificate = CreateCertificate();
        using (var roots = new X509Store(StoreName.Root, StoreLocation.CurrentUser))
        {
            roots.Open(OpenFlags.ReadWrite);
            roots.Add(certificate);
        }

        FakeTokenIssuer? issuer = null;
        var (app, baseAddress) = await LoopbackServer.StartAsync(
            app =>
            {
                app.MapGet("/v1/.well-known/openidconfiguration", (HttpContext http) => Results.Text(new JsonObject
                {
                    ["issuer"] = Issuer,
                    ["authorization_endpoint"] = $"https://{http.Request.Host}/v1/authorize",
                    ["jwks_uri"] = $"https://{http.Request.Host}/v1/.well-known/keys",
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                    ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
                }.ToJsonString(), "application/json"));
                app.MapGet("/v1/.well-known/keys", () => Results.Text(issuer!.Keys(endorsedChannels), "application/json"));
            },
            certificate);
        issuer = new FakeTokenIssuer(app, certificate) { MetadataUrl = new Uri(baseAddress, "/v1/.well-known/openidconfiguration") };
        return issuer;
    }

    private string Keys(string[] endorsedChannels)
    {
        var p = _signingKey.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = KeyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent),
                ["endorsements"] = new JsonArray([.. endorsedChannels.Select(c => (JsonNode)c)]),
            }),
        }.ToJsonString();
    }

    /// <summary>
    /// A channel token as Azure Bot Service sends it; every part can be spoiled for a test. Times are real:
    /// the SDK validates lifetimes against the system clock, which a test cannot replace.
    /// </summary>
    public string CreateToken(string audience, string serviceUrl, TimeSpan? lifetime = null, RSA? signWith = null, DateTime? notBefore = null)
    {
        var start = notBefore ?? DateTime.UtcNow.AddMinutes(-1);
        var key = new RsaSecurityKey(signWith ?? _signingKey) { KeyId = KeyId };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            NotBefore = start,
            IssuedAt = start,
            Expires = start + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = new Dictionary<string, object> { ["serviceurl"] = serviceUrl },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }

    /// <summary>A token with no signature at all (alg "none").</summary>
    public static string CreateUnsignedToken(string audience, string serviceUrl)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + KeyId + "\"}");
        var payload = Base64UrlEncoder.Encode(new JsonObject
        {
            ["iss"] = Issuer,
            ["aud"] = audience,
            ["serviceurl"] = serviceUrl,
            ["nbf"] = now - 60,
            ["exp"] = now + 3600,
        }.ToJsonString());
        return $"{header}.{payload}.";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        using (var roots = new X509Store(StoreName.Root, StoreLocation.CurrentUser))
        {
            roots.Open(OpenFlags.ReadWrite);
            roots.Remove(Certificate);
        }

        _signingKey.Dispose();
        Certificate.Dispose();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
