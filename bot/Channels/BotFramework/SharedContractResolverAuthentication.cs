using System.Security.Claims;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Builder.Skills;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// Wraps a <see cref="BotFrameworkAuthentication"/> so that every connector client it creates shares one
/// Newtonsoft contract resolver. Stock Bot Builder 4.23 builds a new ConnectorClient per turn whose
/// serializer settings carry a new resolver, so Newtonsoft rebuilds every contract and emits new dynamic
/// methods on each reply (about 16 ms of CPU per turn; see docs/protocol.md §10: roughly 90 turns/s instead of
/// 1,600 on these machines). The client itself is still created and disposed per turn as the SDK expects.
/// </summary>
public sealed class SharedContractResolverAuthentication(BotFrameworkAuthentication inner) : BotFrameworkAuthentication
{
    // A DefaultContractResolver as the stock 4.23.1 ConnectorClient uses (Microsoft.Rest's read-only resolver
    // would drop get-only properties, so anonymous channelData would reach Teams as {}).
    private static readonly Newtonsoft.Json.Serialization.DefaultContractResolver SharedResolver = new();

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
        inner.CreateUserTokenClientAsync(claimsIdentity, cancellationToken);

    public override BotFrameworkClient CreateBotFrameworkClient() => inner.CreateBotFrameworkClient();

    public override string GetOriginatingAudience() => inner.GetOriginatingAudience();

    public override Task<ClaimsIdentity> AuthenticateChannelRequestAsync(string authHeader, CancellationToken cancellationToken) =>
        inner.AuthenticateChannelRequestAsync(authHeader, cancellationToken);

    private static ConnectorFactory Wrap(ConnectorFactory factory) =>
        factory is null or SharedResolverConnectorFactory ? factory! : new SharedResolverConnectorFactory(factory);

    private sealed class SharedResolverConnectorFactory(ConnectorFactory inner) : ConnectorFactory
    {
        public override async Task<IConnectorClient> CreateAsync(string serviceUrl, string audience, CancellationToken cancellationToken = default)
        {
            var client = await inner.CreateAsync(serviceUrl, audience, cancellationToken);
            if (client is ConnectorClient connector)
            {
                connector.SerializationSettings.ContractResolver = SharedResolver;
                connector.DeserializationSettings.ContractResolver = SharedResolver;
            }

            return client;
        }
    }
}
