using ExportCenter.Bot.Channels.BotFramework;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// The adapter of the embedded Direct Line channel. It is anonymous (no app id): the channel runs in this
/// process and delivers activities without channel tokens, which an adapter configured with an app id
/// would reject (docs/protocol.md §6). Its connector clients send through <see cref="EmbeddedConnectorHandler"/>,
/// so replies stay in memory.
/// </summary>
public sealed class EmbeddedChannelAdapter : ExportCenterAdapter
{
    public EmbeddedChannelAdapter(
        EmbeddedConnectorHandler connector,
        TurnErrorHandler turnErrors,
        IEnumerable<Microsoft.Bot.Builder.IMiddleware> middleware,
        ILoggerFactory loggers)
        : base(CreateAuthentication(connector, AuthenticationLogger(loggers)), turnErrors, middleware, loggers)
    {
    }

    /// <summary>
    /// Runs one bot turn for an activity the channel received. No Authorization header: with no app id the
    /// authentication treats the call as anonymous, which is what a header would break (docs/protocol.md §6).
    /// </summary>
    public Task DeliverAsync(Activity activity, BotCallbackHandler logic, CancellationToken cancellationToken) =>
        ProcessActivityAsync(string.Empty, activity, logic, cancellationToken);

    private static BotFrameworkAuthentication CreateAuthentication(EmbeddedConnectorHandler connector, ILogger logger) =>
        BotFrameworkAuthenticationFactory.Create(
            channelService: null,
            validateAuthority: true,
            toChannelFromBotLoginUrl: null,
            toChannelFromBotOAuthScope: null,
            toBotFromChannelTokenIssuer: null,
            oAuthUrl: null,
            toBotFromChannelOpenIdMetadataUrl: null,
            toBotFromEmulatorOpenIdMetadataUrl: null,
            callerId: null,
            credentialFactory: new PasswordServiceClientCredentialFactory(),
            authConfiguration: new AuthenticationConfiguration(),
            httpClientFactory: new InMemoryHttpClientFactory(connector),
            logger: logger);

    private sealed class InMemoryHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }
}
