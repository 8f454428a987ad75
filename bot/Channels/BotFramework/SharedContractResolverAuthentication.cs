using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Builder.Skills;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// Wraps a <see cref="BotFrameworkAuthentication"/> so that turns do not pay for clients they need not build:
/// <list type="bullet">
/// <item>Every connector client shares one Newtonsoft contract resolver. Stock Bot Builder 4.23 gives each new
/// ConnectorClient a new resolver, so Newtonsoft rebuilds every contract and emits new dynamic methods on each
/// reply (about 16 ms of CPU per turn; see protocol.md §10: roughly 90 turns/s instead of 1,600 here).</item>
/// <item>One connector client per service URL and audience is kept and reused by every turn, for
/// <see cref="ClientLifetime"/>, instead of one per turn: building one reads the assembly's attributes and parses
/// regular expressions for its User-Agent, which was 8 % of a turn's CPU. The client is safe for concurrent calls,
/// its credentials cache their token, and the turn's dispose leaves it open. After its lifetime the next turn builds a
/// new one with a new HttpClient from the factory, so the connection pool still follows DNS changes.</item>
/// <item>The user token client (OAuth sign-in, which this bot does not use) is built only if a turn calls it, not
/// for every turn as the SDK does (4 % of a turn's CPU).</item>
/// </list>
/// </summary>
public sealed class SharedContractResolverAuthentication(BotFrameworkAuthentication inner, TimeProvider time) : BotFrameworkAuthentication
{
    /// <summary>How long a kept connector client is reused before the next turn builds a fresh one.</summary>
    public static readonly TimeSpan ClientLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<(string ServiceUrl, string? Audience), (KeptConnectorClient Client, DateTimeOffset Until)> _clients = new();

    public SharedContractResolverAuthentication(BotFrameworkAuthentication inner)
        : this(inner, TimeProvider.System)
    {
    }

    // A DefaultContractResolver as the stock 4.23.1 ConnectorClient uses (Microsoft.Rest's read-only resolver
    // would drop get-only properties, so anonymous channelData would reach Teams as {}), which writes JSON content as it is.
    private static readonly ConnectorContractResolver SharedResolver = new();

    public override async Task<AuthenticateRequestResult> AuthenticateRequestAsync(Activity activity, string authHeader, CancellationToken cancellationToken)
    {
        var result = await inner.AuthenticateRequestAsync(activity, authHeader, cancellationToken);
        result.ConnectorFactory = Wrap(result.ConnectorFactory);
        return result;
    }

    public override async Task<AuthenticateRequestResult> AuthenticateStreamingRequestAsync(string authHeader, string channelIdHeader, CancellationToken cancellationToken)
    {
        var result = await inner.AuthenticateStreamingRequestAsync(authHeader, channelIdHeader, cancellationToken);
        result.ConnectorFactory = Wrap(result.ConnectorFactory);
        return result;
    }

    public override ConnectorFactory CreateConnectorFactory(ClaimsIdentity claimsIdentity) =>
        Wrap(inner.CreateConnectorFactory(claimsIdentity));

    public override Task<UserTokenClient> CreateUserTokenClientAsync(ClaimsIdentity claimsIdentity, CancellationToken cancellationToken) =>
        Task.FromResult<UserTokenClient>(new OnFirstUseUserTokenClient(() => inner.CreateUserTokenClientAsync(claimsIdentity, cancellationToken)));

    public override BotFrameworkClient CreateBotFrameworkClient() => inner.CreateBotFrameworkClient();

    public override string GetOriginatingAudience() => inner.GetOriginatingAudience();

    public override Task<ClaimsIdentity> AuthenticateChannelRequestAsync(string authHeader, CancellationToken cancellationToken) =>
        inner.AuthenticateChannelRequestAsync(authHeader, cancellationToken);

    private ConnectorFactory Wrap(ConnectorFactory factory) =>
        factory is null or KeptClientConnectorFactory ? factory! : new KeptClientConnectorFactory(this, factory);

    /// <summary>The kept client for the service URL and audience, or a new one built from the inner factory's.</summary>
    private async Task<IConnectorClient> ClientAsync(ConnectorFactory factory, string serviceUrl, string audience, CancellationToken cancellationToken)
    {
        var key = (serviceUrl, audience);
        var now = time.GetUtcNow();
        if (_clients.TryGetValue(key, out var kept) && kept.Until > now)
        {
            return kept.Client;
        }

        var built = await factory.CreateAsync(serviceUrl, audience, cancellationToken);
        if (built is not ConnectorClient { HttpClient: { } http } connector)
        {
            return built;
        }

        // The kept client takes the built one's credentials and HttpClient; the built one is left to the collector
        // undisposed, since disposing it could dispose the HttpClient the kept one now uses. Two turns racing here
        // both build one, and the second replaces the first: both work.
        var client = new KeptConnectorClient(connector.BaseUri, connector.Credentials, http);
        client.SerializationSettings.ContractResolver = SharedResolver;
        client.DeserializationSettings.ContractResolver = SharedResolver;
        _clients[key] = (client, now + ClientLifetime);
        return client;
    }

    private sealed class KeptClientConnectorFactory(SharedContractResolverAuthentication owner, ConnectorFactory inner) : ConnectorFactory
    {
        public override Task<IConnectorClient> CreateAsync(string serviceUrl, string audience, CancellationToken cancellationToken = default) =>
            owner.ClientAsync(inner, serviceUrl, audience, cancellationToken);
    }

    /// <summary>A connector client that outlives the turns that use it: the dispose at a turn's end leaves it open.</summary>
    private sealed class KeptConnectorClient(Uri baseUri, Microsoft.Rest.ServiceClientCredentials credentials, HttpClient http)
        : ConnectorClient(baseUri, credentials, http, disposeHttpClient: false)
    {
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2215", Justification = "Kept open on purpose: the next turn uses it; it holds nothing to release (its HttpClient belongs to the factory).")]
        protected override void Dispose(bool disposing)
        {
        }
    }

    /// <summary>A user token client built on its first call; a turn that never signs anyone in builds none.</summary>
    private sealed class OnFirstUseUserTokenClient(Func<Task<UserTokenClient>> create) : UserTokenClient
    {
        private Task<UserTokenClient>? _inner;

        private Task<UserTokenClient> Inner => _inner ??= create();

        public override async Task<TokenResponse> GetUserTokenAsync(string userId, string connectionName, string channelId, string magicCode, CancellationToken cancellationToken) =>
            await (await Inner).GetUserTokenAsync(userId, connectionName, channelId, magicCode, cancellationToken);

        public override async Task<SignInResource> GetSignInResourceAsync(string connectionName, Activity activity, string finalRedirect, CancellationToken cancellationToken) =>
            await (await Inner).GetSignInResourceAsync(connectionName, activity, finalRedirect, cancellationToken);

        public override async Task SignOutUserAsync(string userId, string connectionName, string channelId, CancellationToken cancellationToken) =>
            await (await Inner).SignOutUserAsync(userId, connectionName, channelId, cancellationToken);

        public override async Task<TokenStatus[]> GetTokenStatusAsync(string userId, string channelId, string includeFilter, CancellationToken cancellationToken) =>
            await (await Inner).GetTokenStatusAsync(userId, channelId, includeFilter, cancellationToken);

        public override async Task<Dictionary<string, TokenResponse>> GetAadTokensAsync(string userId, string connectionName, string[] resourceUrls, string channelId, CancellationToken cancellationToken) =>
            await (await Inner).GetAadTokensAsync(userId, connectionName, resourceUrls, channelId, cancellationToken);

        public override async Task<TokenResponse> ExchangeTokenAsync(string userId, string connectionName, string channelId, TokenExchangeRequest exchangeRequest, CancellationToken cancellationToken) =>
            await (await Inner).ExchangeTokenAsync(userId, connectionName, channelId, exchangeRequest, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing && _inner is { IsCompletedSuccessfully: true } built)
            {
                built.Result.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
