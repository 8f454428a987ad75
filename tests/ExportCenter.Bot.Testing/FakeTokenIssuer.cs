using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// A stand-in for the Bot Framework's token issuer on loopback: serves OpenID metadata and signing keys
/// (with channel endorsements) over HTTPS with a self-signed certificate, and signs channel tokens the
/// way Azure Bot Service does. The bot's OpenID metadata setting is pointed here.
/// </summary>
public sealed class FakeTokenIssuer : IAsyncDisposable
{
    public const string Issuer = "https://api.botframework.com";
    private const string KeyId = "fake-channel-key";
    private static readonly Lazy<Task<X509Certificate2>> SharedCertificate = new(CreateTrustedCertificateAsync);
    private readonly WebApplication _app;
    private readonly RSA _signingKey = RSA.Create(2048);

    private FakeTokenIssuer(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    /// <summary>
    /// The issuer's TLS certificate, <see cref="TrustedLoopbackCertificateAsync"/>. The SDK fetches metadata
    /// with its own static HttpClient that requires HTTPS and cannot be configured.
    /// </summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>
    /// One TLS certificate for 127.0.0.1, shared by the HTTPS fakes of the test process (this issuer and
    /// <see cref="FakeBotConnector"/>). It is trusted through the current user's root store, which .NET on Linux
    /// honours, until the process exits. .NET caches that store: it checks the folder's modification time at most
    /// once a second and otherwise reloads it only every 30 s. If a TLS handshake reloads the store while a new
    /// certificate file is still being written, the store can stay cached without that certificate for up to 30 s.
    /// With a fresh certificate per fake that failed at random when test classes ran in parallel. The first call
    /// waits until the certificate is trusted.
    /// </summary>
    public static Task<X509Certificate2> TrustedLoopbackCertificateAsync() => SharedCertificate.Value;

    public required Uri MetadataUrl { get; init; }

    public static async Task<FakeTokenIssuer> StartAsync(params string[] endorsedChannels)
    {
        var certificate = await TrustedLoopbackCertificateAsync();
        // The SDK caches metadata and keys in a static dictionary keyed by URL, for the whole process. A later
        // issuer that got a port an earlier one had freed would be served the earlier one's key (same key id,
        // another key): its valid tokens failed at random. A path of its own per issuer keeps the URLs apart.
        var root = "/" + Guid.NewGuid().ToString("N");
        FakeTokenIssuer? issuer = null;
        var (app, baseAddress) = await LoopbackServer.StartAsync(
            app =>
            {
                app.MapGet(root + "/v1/.well-known/openidconfiguration", (HttpContext http) => Results.Text(new JsonObject
                {
                    ["issuer"] = Issuer,
                    ["authorization_endpoint"] = $"https://{http.Request.Host}/v1/authorize",
                    ["jwks_uri"] = $"https://{http.Request.Host}{root}/v1/.well-known/keys",
                    ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
                    ["token_endpoint_auth_methods_supported"] = new JsonArray("private_key_jwt"),
                }.ToJsonString(), "application/json"));
                app.MapGet(root + "/v1/.well-known/keys", () => Results.Text(issuer!.Keys(endorsedChannels), "application/json"));
            },
            certificate);
        issuer = new FakeTokenIssuer(app, certificate) { MetadataUrl = new Uri(baseAddress, root + "/v1/.well-known/openidconfiguration") };
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
        _signingKey.Dispose();
    }

    private static async Task<X509Certificate2> CreateTrustedCertificateAsync()
    {
        var certificate = CreateCertificate();
        using (var roots = new X509Store(StoreName.Root, StoreLocation.CurrentUser))
        {
            roots.Open(OpenFlags.ReadWrite);
            roots.Add(certificate);
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            using var roots = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
            roots.Open(OpenFlags.ReadWrite);
            roots.Remove(certificate);
        };

        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!IsTrusted(certificate))
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(40))
            {
                throw new InvalidOperationException("The loopback certificate did not become trusted through the current user's root store.");
            }

            await Task.Delay(250);
        }

        return certificate;
    }

    private static bool IsTrusted(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    /// <summary>A self-signed certificate for 127.0.0.1, trusted by nobody (a test's client pins it).</summary>
    public static X509Certificate2 CreateLoopbackCertificate() => CreateCertificate();

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
