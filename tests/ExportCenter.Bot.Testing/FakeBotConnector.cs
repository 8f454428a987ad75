using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// A stand-in for the Bot Connector service of Microsoft Teams (what the bot calls at the activity's
/// <c>serviceUrl</c>) and for the token endpoint the bot gets its outbound token from, both on loopback HTTPS.
/// It records every request and can be scripted to fail, so tests can check what the bot sends to Teams. Like the real
/// service it deduplicates nothing: every create-conversation request makes a new post with a new id.
/// </summary>
/// <remarks>
/// <para><b>Served</b> under <see cref="ServiceUrl"/>, which has a path like the real
/// <c>https://smba.trafficmanager.net/teams/</c>. Recorded paths are relative to it, with the ids unescaped.
/// <c>POST /v3/conversations</c>: a channel post (<c>channelData.channel.id</c>) gets
/// <c>{id:"19:…;messageid=&lt;n&gt;", activityId:"&lt;n&gt;"}</c>. Also <c>POST /v3/conversations/{id}/activities[/{replyToId}]</c>,
/// <c>PUT</c> and <c>DELETE /v3/conversations/{id}/activities/{activityId}</c>, and
/// <c>GET /v3/conversations/{id}/members/{userId}</c> (TeamsInfo), which answers 404 <c>MemberNotFoundInConversation</c>
/// unless the member was added with <see cref="AddMember"/>. Other requests under <c>/v3/conversations</c> get 404 and are
/// recorded with <see cref="ConnectorOperation.Unknown"/>; anything outside the serviceUrl gets 404 and is kept in
/// <see cref="Unexpected"/>, for example a bot that dropped the serviceUrl's path.
/// Every connector request must carry <c>Authorization: Bearer &lt;a token issued by a fake&gt;</c>; otherwise it gets 401.
/// The token is checked before any scripted failure is applied.</para>
///
/// <para><b>Outbound token.</b> Found in Bot Framework 4.23.1 and MSAL 4.73.1 (decompiled) and checked by running them.
/// Setting any of <c>ToChannelFromBotLoginUrl</c>, <c>ToChannelFromBotOAuthScope</c>, <c>ToBotFromChannelTokenIssuer</c>,
/// <c>OAuthUrl</c>, <c>ToBotFromChannelOpenIdMetadataUrl</c>, <c>ToBotFromEmulatorOpenIdMetadataUrl</c> or
/// <c>CallerId</c> makes <c>ConfigurationBotFrameworkAuthentication</c> parameterized, and it then uses all of them.
/// When <c>ToChannelFromBotLoginUrl</c> is anything other than <c>https://login.microsoftonline.com/{0}</c> (or the .us
/// one), the SDK uses <c>PasswordServiceClientCredentialFactory.PrivateCloudAppCredentials</c>. Its MSAL authority is
/// the login URL <i>verbatim</i> and the tenant is not inserted. So under <c>MicrosoftAppType=SingleTenant</c> the
/// tenant must be in the URL; <c>MicrosoftAppTenantId</c> is still required, but only its shape is checked.
/// <c>ValidateAuthority</c> goes to MSAL's <c>WithAuthority(uri, validate)</c>.
/// If the authority's first path segment is not <c>adfs</c>, <c>dstsv2</c> or <c>tfp</c>, MSAL treats it as Entra ID.
/// It then runs instance discovery against <c>https://login.microsoftonline.com:&lt;the authority's port&gt;/common/discovery/instance</c>,
/// whatever the authority's host and whatever <c>ValidateAuthority</c> says. Offline this fails with an
/// <c>HttpRequestException</c> ("Name or service not known"), not an MsalServiceException, so MSAL does not swallow it
/// and every send fails with an AggregateException ("Failed to acquire token for client credentials").
/// This fake's login URL is therefore <c>https://127.0.0.1:&lt;port&gt;/dstsv2/&lt;tenant&gt;</c>, a dSTS authority.
/// For it MSAL does no instance discovery and no OpenID discovery, with <c>ValidateAuthority</c> true or false.
/// It posts straight to <c>{loginUrl}/oauth2/v2.0/token</c> with the form <c>client_id, client_secret,
/// scope=&lt;audience&gt;/.default, grant_type=client_credentials</c> and expects <c>{token_type, expires_in, access_token}</c>.
/// That POST is the only request MSAL makes. MSAL refuses a non-HTTPS authority, so the fake uses HTTPS for everything.
/// (The ConnectorClient itself accepts a plain http serviceUrl and sends the Bearer token over it.)
/// Two HTTP clients must trust the TLS certificate: MSAL's own and the bot's <c>IHttpClientFactory</c> client, which
/// the ConnectorClient uses. The SDK does not let either be configured, so they share
/// <see cref="FakeTokenIssuer.TrustedLoopbackCertificateAsync"/>: one certificate per test process, kept in the
/// current user's root store until the process exits. <see cref="BotConfiguration"/> returns the full set of keys.</para>
///
/// <para><b>Token cache.</b> The SDK builds MSAL apps with <c>CacheOptions.EnableSharedCacheOptions</c>. That cache
/// is process-wide and keyed by client id, tenant, scope and host, not port. So a token issued by an earlier fake in
/// the same test process is reused until it expires. For that reason the fake accepts any token issued by a
/// <see cref="FakeBotConnector"/> in this process; <see cref="ConnectorRequest.TokenFromThisFake"/> tells which.
/// A test that wants to see the token request itself uses its own app id.</para>
///
/// <para><b>Failures</b> (checked by the tests). Any status other than 200/201/202 makes the ConnectorClient throw
/// <c>Microsoft.Bot.Schema.ErrorResponseException</c>, a <c>Microsoft.Rest.RestException</c>. Read the status from
/// <c>ex.Response.StatusCode</c> and Retry-After from <c>ex.Response.Headers["Retry-After"]</c>, which holds delta seconds
/// as strings. <c>Headers</c> is a dictionary of the response and content headers, so use <c>Headers.TryGetValue</c>.
/// The Teams error code is <c>ex.Body?.Error?.Code</c>.
/// <b>The ConnectorClient never retries on its own</b>: one SDK call is exactly one attempt here, for 429, 412, 500,
/// 502, 503 and 504. The bot's default IHttpClientFactory client has no retry handler either.
/// <c>CreateConversationAsync</c> throws straight to the caller. A send inside a <c>ContinueConversationAsync</c>
/// callback is different: it fails inside the adapter's turn pipeline, so the adapter's <c>OnTurnError</c> (the bot's
/// TurnErrorHandler) receives the exception and ContinueConversationAsync returns normally. That handler also posts an
/// apology to the conversation. Code that needs to see the failure catches it inside the callback.
/// Every proactive send is a ReplyToActivity (<c>POST …/activities/{id}</c>) whose id is the continuation event's random
/// Guid, even when the reference has an ActivityId. A Teams thread is chosen by <c>;messageid=</c> in the conversation id.</para>
///
/// <para><b>Serialization, a bot bug the fake shows.</b> The bot's <c>SharedContractResolverAuthentication</c> gives every
/// ConnectorClient Microsoft.Rest's <c>ReadOnlyJsonContractResolver</c>, which leaves out properties that have no public
/// setter. Stock 4.23.1 replaces that resolver with a <c>DefaultContractResolver</c> in <c>CustomInitialize</c>.
/// As a result, anonymous objects in ChannelData, Value or attachment Content are sent as <c>{}</c>, for example
/// <c>ChannelData = new { channel = new { id } }</c>. SDK types (<c>TeamsChannelData</c>) and JObject are not affected.</para>
/// </remarks>
public sealed class FakeBotConnector : IAsyncDisposable
{
    /// <summary>The tenant used by <see cref="BotConfiguration"/> unless a test names another.</summary>
    public const string DefaultTenantId = "6e1c3d2a-9f4b-4c8e-a7d5-0b2f4e6a8c1d";

    /// <summary>The audience (OAuth scope without /.default) of the public cloud's connector.</summary>
    public const string Audience = "https://api.botframework.com";

    private const string ServicePrefix = "/teams";

    /// <summary>Tokens issued by any fake in this process (see the remarks on the shared MSAL cache).</summary>
    private static readonly ConcurrentDictionary<string, IssuedToken> IssuedTokens = new(StringComparer.Ordinal);

    private readonly Lock _gate = new();
    private readonly List<ConnectorRequest> _attempts = [];
    private readonly List<TokenRequest> _tokenRequests = [];
    private readonly List<(string Method, string Target)> _unexpected = [];
    private readonly List<FailureScript> _failNext = [];
    private readonly ConcurrentDictionary<string, JsonObject> _members = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> _clientSecrets = new(StringComparer.Ordinal);
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private FailureScript? _failWhile;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextMessageId = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
    private WebApplication _app = null!;
    private Uri _baseAddress = null!;

    private FakeBotConnector()
    {
    }

    /// <summary>The serviceUrl of this fake Teams, e.g. https://127.0.0.1:41234/teams/.</summary>
    public Uri ServiceUrl => new(_baseAddress, ServicePrefix + "/");

    /// <summary>Requests that were answered as the real service would (2xx; 404 for an unknown member or operation), in arrival order.</summary>
    public IReadOnlyList<ConnectorRequest> Requests => Snapshot(r => r.Outcome == ConnectorOutcome.Answered);

    /// <summary>Requests answered with a scripted failure (<see cref="FailNext"/>, <see cref="StartFailing"/>).</summary>
    public IReadOnlyList<ConnectorRequest> FailedAttempts => Snapshot(r => r.Outcome == ConnectorOutcome.Failed);

    /// <summary>Requests refused with 401: no Authorization header, or a token no fake issued.</summary>
    public IReadOnlyList<ConnectorRequest> Rejected => Snapshot(r => r.Outcome == ConnectorOutcome.Rejected);

    /// <summary>Every connector request, whatever its answer, in arrival order.</summary>
    public IReadOnlyList<ConnectorRequest> AllAttempts => Snapshot(_ => true);

    /// <summary>Requests to the token endpoint.</summary>
    public IReadOnlyList<TokenRequest> TokenRequests
    {
        get
        {
            lock (_gate)
            {
                return [.. _tokenRequests];
            }
        }
    }

    /// <summary>Requests this fake does not serve (method and raw target), answered 404.</summary>
    public IReadOnlyList<(string Method, string Target)> Unexpected
    {
        get
        {
            lock (_gate)
            {
                return [.. _unexpected];
            }
        }
    }

    public static async Task<FakeBotConnector> StartAsync()
    {
        var certificate = await FakeTokenIssuer.TrustedLoopbackCertificateAsync();
        var connector = new FakeBotConnector();
        var (app, baseAddress) = await LoopbackServer.StartAsync(app => app.Run(connector.HandleAsync), certificate);
        connector._app = app;
        connector._baseAddress = baseAddress;
        return connector;
    }

    /// <summary>The outbound login URL (MSAL authority) for a tenant: https://127.0.0.1:port/dstsv2/{tenant}.</summary>
    public Uri LoginUrl(string tenant) => new(_baseAddress, "/dstsv2/" + tenant);

    /// <summary>
    /// Every setting <see cref="BotApp"/> needs to talk to this fake Teams with app credentials: the inbound
    /// keys point at <paramref name="issuer"/>, the outbound login URL at this fake's token endpoint. The
    /// password is registered as the app's client secret, so a wrong one gets <c>invalid_client</c>.
    /// </summary>
    public Dictionary<string, string?> BotConfiguration(
        string appId,
        FakeTokenIssuer issuer,
        string appType = "SingleTenant",
        string tenantId = DefaultTenantId,
        string password = "fake-connector-client-secret")
    {
        ArgumentNullException.ThrowIfNull(issuer);
        _clientSecrets[appId] = password;
        var singleTenant = string.Equals(appType, "SingleTenant", StringComparison.OrdinalIgnoreCase);
        return new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = appId,
            ["MicrosoftAppPassword"] = password,
            ["MicrosoftAppType"] = appType,
            ["MicrosoftAppTenantId"] = singleTenant ? tenantId : null,
            ["ToBotFromChannelOpenIdMetadataUrl"] = issuer.MetadataUrl.AbsoluteUri,
            ["ToBotFromChannelTokenIssuer"] = FakeTokenIssuer.Issuer,
            ["ToBotFromEmulatorOpenIdMetadataUrl"] = issuer.MetadataUrl.AbsoluteUri,
            ["ToChannelFromBotLoginUrl"] = LoginUrl(singleTenant ? tenantId : "botframework.com").AbsoluteUri,
            ["ToChannelFromBotOAuthScope"] = Audience,
            ["OAuthUrl"] = Audience,
            ["CallerId"] = "urn:botframework:azure",
            ["ValidateAuthority"] = "false",
        };
    }

    /// <summary>A reference to a conversation in this fake Teams, as the bot would have stored it.</summary>
    public ConversationReference Reference(string conversationId, string appId, string conversationType = "channel", string tenantId = DefaultTenantId) => new()
    {
        ChannelId = "msteams",
        ServiceUrl = ServiceUrl.AbsoluteUri,
        Bot = new ChannelAccount("28:" + appId, "ExportCenter"),
        Conversation = new ConversationAccount(isGroup: conversationType != "personal", conversationType: conversationType, id: conversationId, tenantId: tenantId),
    };

    /// <summary>Makes <c>GET …/members/{id}</c> find a member, by its id (29:…) or by its aadObjectId.</summary>
    public JsonObject AddMember(string id, string name, string? aadObjectId = null, string? email = null, string? userPrincipalName = null, string tenantId = DefaultTenantId)
    {
        var member = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["aadObjectId"] = aadObjectId,
            ["email"] = email,
            ["userPrincipalName"] = userPrincipalName ?? email,
            ["tenantId"] = tenantId,
            ["userRole"] = "user",
        };
        _members[id] = member;
        if (aadObjectId is not null)
        {
            _members[aadObjectId] = member;
        }

        return member;
    }

    /// <summary>
    /// The next <paramref name="count"/> connector requests (that <paramref name="match"/> accepts) are answered
    /// with <paramref name="status"/>, and a Retry-After header when <paramref name="retryAfter"/> is given.
    /// </summary>
    public void FailNext(int count, HttpStatusCode status, TimeSpan? retryAfter = null, Func<ConnectorRequest, bool>? match = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _failNext.Add(new FailureScript(status, retryAfter, match) { Remaining = count });
        }
    }

    /// <summary>
    /// Every connector request (that <paramref name="match"/> accepts) is answered with <paramref name="status"/>
    /// until <see cref="StopFailing"/> or until the returned switch is disposed.
    /// </summary>
    public IDisposable StartFailing(HttpStatusCode status = HttpStatusCode.InternalServerError, TimeSpan? retryAfter = null, Func<ConnectorRequest, bool>? match = null)
    {
        var script = new FailureScript(status, retryAfter, match) { Remaining = int.MaxValue };
        lock (_gate)
        {
            _failWhile = script;
        }

        return new Switch(() =>
        {
            lock (_gate)
            {
                if (ReferenceEquals(_failWhile, script))
                {
                    _failWhile = null;
                }
            }
        });
    }

    /// <summary>Ends <see cref="StartFailing"/> and drops any <see cref="FailNext"/> not yet used.</summary>
    public void StopFailing()
    {
        lock (_gate)
        {
            _failWhile = null;
            _failNext.Clear();
        }
    }

    /// <summary>Waits until <paramref name="count"/> answered requests match; returns them (the first <paramref name="count"/>).</summary>
    public Task<IReadOnlyList<ConnectorRequest>> WaitForRequestsAsync(Func<ConnectorRequest, bool> match, int count = 1, TimeSpan? timeout = null) =>
        WaitAsync(r => r.Outcome == ConnectorOutcome.Answered && match(r), count, timeout, "answered requests");

    /// <summary>Waits until <paramref name="count"/> scripted failures match; returns them.</summary>
    public Task<IReadOnlyList<ConnectorRequest>> WaitForFailedAttemptsAsync(Func<ConnectorRequest, bool> match, int count = 1, TimeSpan? timeout = null) =>
        WaitAsync(r => r.Outcome == ConnectorOutcome.Failed && match(r), count, timeout, "failed attempts");

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IReadOnlyList<ConnectorRequest>> WaitAsync(Func<ConnectorRequest, bool> match, int count, TimeSpan? timeout, string what)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var found = _attempts.Where(match).Take(count).ToList();
                if (found.Count >= count)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var seen = string.Join("\n  ", AllAttempts.Select(r => $"{r.Method} {r.Path} -> {r.Status} ({r.Outcome})"));
                throw new TimeoutException($"Fewer than {count} matching {what} arrived within {timeout ?? TimeSpan.FromSeconds(10)}. Seen:\n  {seen}");
            }
        }
    }

    private List<ConnectorRequest> Snapshot(Func<ConnectorRequest, bool> match)
    {
        lock (_gate)
        {
            return [.. _attempts.Where(match)];
        }
    }

    private async Task HandleAsync(HttpContext http)
    {
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path.Value ?? "/";
        var rawPath = rawTarget.Split('?', 2)[0];
        var segments = rawPath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        var method = http.Request.Method;

        if (method == HttpMethods.Post && segments is [.., "oauth2", "v2.0", "token"] && segments.Length is 4 or 5)
        {
            await HandleTokenAsync(http, string.Join('/', segments[..^3]));
            return;
        }

        if (segments is not ["teams", "v3", "conversations", ..])
        {
            lock (_gate)
            {
                _unexpected.Add((method, rawTarget));
                Signal();
            }

            await Results.Json(Error("NotFound", "Not served by the fake connector."), statusCode: StatusCodes.Status404NotFound).ExecuteAsync(http);
            return;
        }

        var v3 = segments[2..];
        (ConnectorOperation Operation, string? Conversation, string? Activity, string? User) route = (method, v3) switch
        {
            ("POST", ["conversations"]) => (ConnectorOperation.CreateConversation, null, null, null),
            ("POST", ["conversations", var c, "activities"]) => (ConnectorOperation.SendToConversation, c, null, null),
            ("POST", ["conversations", var c, "activities", var a]) => (ConnectorOperation.ReplyToActivity, c, a, null),
            ("PUT", ["conversations", var c, "activities", var a]) => (ConnectorOperation.UpdateActivity, c, a, null),
            ("DELETE", ["conversations", var c, "activities", var a]) => (ConnectorOperation.DeleteActivity, c, a, null),
            ("GET", ["conversations", var c, "members", var u]) => (ConnectorOperation.GetMember, c, null, u),
            _ => (ConnectorOperation.Unknown, null, null, null),
        };
        var (operation, conversationId, activityId, userId) = route;

        JsonObject? body = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                body = (await JsonNode.ParseAsync(http.Request.Body))?.AsObject();
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }
        }

        var authorization = http.Request.Headers.Authorization.Count > 0 ? http.Request.Headers.Authorization.ToString() : null;
        IssuedToken? issued = null;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            IssuedTokens.TryGetValue(authorization["Bearer ".Length..], out issued);
        }

        var request = new ConnectorRequest
        {
            Operation = operation,
            Method = method,
            Path = "/" + string.Join('/', v3.Prepend("v3")),
            RawTarget = rawTarget,
            ConversationId = conversationId,
            ActivityId = activityId,
            UserId = userId,
            Body = body,
            Authorization = authorization,
            ConversationIdHeader = http.Request.Headers["x-ms-conversation-id"].FirstOrDefault(),
            TokenAppId = issued?.AppId,
            TokenFromThisFake = issued?.Instance == _instance,
            ReceivedAt = DateTimeOffset.UtcNow,
        };

        IResult result;
        if (issued is null)
        {
            request = request with { Outcome = ConnectorOutcome.Rejected, Status = StatusCodes.Status401Unauthorized };
            result = Results.Json(Error("Unauthorized", "No Bearer token issued by the fake token endpoint."), statusCode: StatusCodes.Status401Unauthorized);
        }
        else if (TakeFailure(request) is { } failure)
        {
            request = request with { Outcome = ConnectorOutcome.Failed, Status = (int)failure.Status };
            if (failure.RetryAfter is { } retryAfter)
            {
                http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            var code = failure.Status == HttpStatusCode.TooManyRequests ? "Throttled" : "ServiceError";
            result = Results.Json(Error(code, $"Scripted failure ({(int)failure.Status})."), statusCode: (int)failure.Status);
        }
        else
        {
            (var status, var answer) = Answer(request);
            request = request with { Outcome = ConnectorOutcome.Answered, Status = status, Answer = answer.DeepClone().AsObject() };
            result = Results.Json(answer, statusCode: status);
        }

        lock (_gate)
        {
            _attempts.Add(request);
            Signal();
        }

        await result.ExecuteAsync(http);
    }

    private (int Status, JsonObject Body) Answer(ConnectorRequest request)
    {
        string NextId() => Interlocked.Increment(ref _nextMessageId).ToString(CultureInfo.InvariantCulture);
        switch (request.Operation)
        {
            case ConnectorOperation.CreateConversation:
                var messageId = NextId();
                var channel = request.Body?["channelData"]?["channel"]?["id"]?.GetValue<string>();
                var id = channel is not null ? $"{channel};messageid={messageId}" : $"a:fake-conversation-{messageId}";
                return (StatusCodes.Status201Created, new JsonObject { ["id"] = id, ["activityId"] = messageId });
            case ConnectorOperation.SendToConversation or ConnectorOperation.ReplyToActivity:
                return (StatusCodes.Status201Created, new JsonObject { ["id"] = NextId() });
            case ConnectorOperation.UpdateActivity:
                return (StatusCodes.Status200OK, new JsonObject { ["id"] = request.ActivityId });
            case ConnectorOperation.DeleteActivity:
                return (StatusCodes.Status200OK, []);
            case ConnectorOperation.GetMember when _members.TryGetValue(request.UserId!, out var member):
                return (StatusCodes.Status200OK, member.DeepClone().AsObject());
            case ConnectorOperation.GetMember:
                return (StatusCodes.Status404NotFound, Error("MemberNotFoundInConversation", "The member could not be found in the conversation."));
            default:
                return (StatusCodes.Status404NotFound, Error("NotFound", "Not served by the fake connector."));
        }
    }

    private async Task HandleTokenAsync(HttpContext http, string authorityPath)
    {
        var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync() : null;
        var clientId = form?["client_id"].FirstOrDefault();
        var secret = form?["client_secret"].FirstOrDefault();
        var scope = form?["scope"].FirstOrDefault();
        var grantType = form?["grant_type"].FirstOrDefault();

        string? error = null;
        if (grantType != "client_credentials")
        {
            error = "unsupported_grant_type";
        }
        else if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(secret)
            || (_clientSecrets.TryGetValue(clientId, out var expected) && expected != secret))
        {
            error = "invalid_client";
        }
        else if (scope is null || !scope.EndsWith("/.default", StringComparison.Ordinal))
        {
            error = "invalid_scope";
        }

        string? token = null;
        if (error is null)
        {
            token = $"fake-connector-token.{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}";
            IssuedTokens[token] = new IssuedToken(_instance, clientId!, scope!);
        }

        lock (_gate)
        {
            _tokenRequests.Add(new TokenRequest(authorityPath, clientId, scope, grantType, !string.IsNullOrEmpty(secret), error, token));
            Signal();
        }

        if (error is not null)
        {
            await Results.Json(new JsonObject { ["error"] = error, ["error_description"] = $"Fake token endpoint: {error}." }, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(http);
            return;
        }

        await Results.Json(new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = 3599,
            ["ext_expires_in"] = 3599,
            ["access_token"] = token,
        }).ExecuteAsync(http);
    }

    private FailureScript? TakeFailure(ConnectorRequest request)
    {
        lock (_gate)
        {
            if (_failWhile is { } always && (always.Match is null || always.Match(request)))
            {
                return always;
            }

            var next = _failNext.FirstOrDefault(f => f.Match is null || f.Match(request));
            if (next is null)
            {
                return null;
            }

            if (--next.Remaining == 0)
            {
                _failNext.Remove(next);
            }

            return next;
        }
    }

    private void Signal()
    {
        _changed.TrySetResult();
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static JsonObject Error(string code, string message) =>
        new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private sealed record IssuedToken(string Instance, string AppId, string Scope);

    private sealed class FailureScript(HttpStatusCode status, TimeSpan? retryAfter, Func<ConnectorRequest, bool>? match)
    {
        public HttpStatusCode Status { get; } = status;

        public TimeSpan? RetryAfter { get; } = retryAfter;

        public Func<ConnectorRequest, bool>? Match { get; } = match;

        public int Remaining { get; set; }
    }

    private sealed class Switch(Action off) : IDisposable
    {
        public void Dispose() => off();
    }
}

public enum ConnectorOperation
{
    Unknown,
    CreateConversation,
    SendToConversation,
    ReplyToActivity,
    UpdateActivity,
    DeleteActivity,
    GetMember,
}

public enum ConnectorOutcome
{
    /// <summary>Served as the real service would (2xx; 404 for an unknown member or path).</summary>
    Answered,

    /// <summary>Answered with a scripted failure.</summary>
    Failed,

    /// <summary>Refused with 401 (no token, or one no fake issued).</summary>
    Rejected,
}

/// <summary>One request the bot made to the fake connector.</summary>
public sealed record ConnectorRequest
{
    public required ConnectorOperation Operation { get; init; }

    public required string Method { get; init; }

    /// <summary>Relative to the serviceUrl, ids unescaped: /v3/conversations/19:x@thread.tacv2;messageid=1/activities.</summary>
    public required string Path { get; init; }

    /// <summary>The request target as sent (escaped, with the serviceUrl's path).</summary>
    public required string RawTarget { get; init; }

    public string? ConversationId { get; init; }

    /// <summary>The activity in the path: the one replied to (POST) or updated/deleted (PUT/DELETE).</summary>
    public string? ActivityId { get; init; }

    public string? UserId { get; init; }

    public JsonObject? Body { get; init; }

    /// <summary>The Authorization header as sent, e.g. "Bearer fake-connector-token.…".</summary>
    public string? Authorization { get; init; }

    public string? ConversationIdHeader { get; init; }

    /// <summary>The client id the bearer token was issued to, if a fake issued it.</summary>
    public string? TokenAppId { get; init; }

    public bool TokenFromThisFake { get; init; }

    public ConnectorOutcome Outcome { get; init; }

    public int Status { get; init; }

    /// <summary>The body the fake answered with when it served the request (for a new post: its id and activityId).</summary>
    public JsonObject? Answer { get; init; }

    public DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The activity text in the body (activity, or ConversationParameters.activity).</summary>
    public string? Text => (Body?["activity"] ?? Body)?["text"]?.GetValue<string>();
}

/// <summary>One request to the fake token endpoint; <see cref="Error"/> is null when a token was issued.</summary>
public sealed record TokenRequest(string AuthorityPath, string? ClientId, string? Scope, string? GrantType, bool HasClientSecret, string? Error, string? IssuedToken);
