using ExportCenter.Bot.Channels;
using System.Security.Claims;
using ExportCenter.Bot.Channels.DirectLine;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Advisors;

/// <summary>
/// The local advisors' page at <c>/advisors</c>: sign-in (one-time link, then a hashed password), and the
/// session that opens a Web Chat on the embedded Direct Line in the conversation registered as the
/// advisors' channel, with a token naming the signed-in advisor and the page session. Never open without a
/// sign-in; every request checks that the page session still lives (<see cref="AdvisorSessions"/>).
/// </summary>
public static partial class AdvisorPageEndpoints
{
    public const string Scheme = "advisors";
    public const string AdvisorIdClaim = "advisor_id";
    public const string SessionClaim = "advisor_session";
    private const string MustSetPasswordClaim = "must_set_password";
    private const int MinPasswordLength = 12;

    public static IEndpointRouteBuilder MapAdvisorPage(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("/advisors");
        page.MapGet(string.Empty, (HttpContext http) => http.User.Identity?.IsAuthenticated == true
            ? (Results<PhysicalFileHttpResult, RedirectHttpResult>)Page("advisors.html")
            : TypedResults.Redirect("/advisors/login"));
        page.MapGet("/login", () => Page("login.html"));
        page.MapPost("/login", SignInWithPassword).WithMetadata(new DirectLineRateLimit(DirectLineRateLimitKind.Token));

        // The one-time link carries its token after '#', which browsers never send, so no server or proxy logs
        // it: the page reads it and posts it.
        page.MapGet("/signin", () => Page("signin.html"));
        page.MapPost("/signin", SignInWithLink).WithMetadata(new DirectLineRateLimit(DirectLineRateLimitKind.Token));
        page.MapPost("/logout", async (HttpContext http, AdvisorSessions sessions, CancellationToken ct) =>
        {
            await sessions.EndAsync(http.User.FindFirst(SessionClaim)?.Value, ct);
            await http.SignOutAsync(Scheme);
            return TypedResults.Redirect("/advisors/login");
        });
        page.MapPost("/password", SetPassword).RequireAuthorization(Scheme);
        app.MapGroup("/api/advisors").RequireAuthorization(Scheme).MapPost("/session", CreateSession);
        return app;
    }

    internal static PhysicalFileHttpResult Page(string name) =>
        TypedResults.PhysicalFile(Path.Combine(AppContext.BaseDirectory, "Advisors", "Pages", name), "text/html; charset=utf-8");

    /// <summary>What the page needs to open the advisors' Web Chat.</summary>
    private sealed record AdvisorSession(string Domain, string Token, string ConversationId, bool WebSocket, int PollingIntervalMs, string AdvisorName, bool MustSetPassword, string Watermark);

    private sealed record SignedIn(string Name);

    private sealed record LoginRequest(string? Login, string? Password);

    private sealed record LinkRequest(string? Token);

    private sealed record PasswordRequest(string? Password);

    /// <summary>
    /// A password sign-in. A login or client address with too many failures is refused with 429 until its lock
    /// ends, with the right password too; an unknown login is counted, locked and answered exactly like a known one.
    /// </summary>
    private static async Task<Results<Ok<SignedIn>, ProblemHttpResult>> SignInWithPassword(HttpContext http, AdvisorDirectory directory, AdvisorSessions sessions, SignInLimiter limiter, TimeProvider time, CancellationToken ct)
    {
        var (request, error) = await ReadJsonAsync<LoginRequest>(http, ct);
        if (error is not null)
        {
            return error;
        }

        var keys = limiter.KeysFor(request?.Login, http.Connection.RemoteIpAddress);
        if (await limiter.LockedUntilAsync(keys, ct) is { } lockedUntil)
        {
            var wait = (int)Math.Ceiling(Math.Max(1, (lockedUntil - time.GetUtcNow()).TotalSeconds));
            http.Response.Headers.RetryAfter = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many sign-in attempts", detail: "Wait a while before you try again.");
        }

        var advisor = await directory.VerifyPasswordAsync(request?.Login, request?.Password, ct);
        if (advisor is null)
        {
            await limiter.RecordFailureAsync(keys, ct);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong login or password");
        }

        await limiter.RecordSuccessAsync(keys, ct);
        await SignInAsync(http, sessions, advisor, mustSetPassword: false, ct);
        return TypedResults.Ok(new SignedIn(advisor.Name));
    }

    /// <summary>
    /// Reads a JSON body. Only JSON is accepted: a cross-site HTML form cannot send it without a CORS
    /// preflight, which this origin never grants, so these endpoints need no anti-forgery token.
    /// </summary>
    private static async Task<(T? Body, ProblemHttpResult? Error)> ReadJsonAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        if (!http.Request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "JSON expected"));
        }

        try
        {
            return (await http.Request.ReadFromJsonAsync<T>(ct), null);
        }
        catch (System.Text.Json.JsonException)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed request", detail: "The body must be a JSON object."));
        }
    }

    private static async Task<Results<Ok<SignedIn>, ProblemHttpResult>> SignInWithLink(HttpContext http, AdvisorDirectory directory, AdvisorSessions sessions, CancellationToken ct)
    {
        var (request, error) = await ReadJsonAsync<LinkRequest>(http, ct);
        if (error is not null)
        {
            return error;
        }

        var advisor = await directory.RedeemSignInTokenAsync(request?.Token, ct);
        if (advisor is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The sign-in link is not valid",
                detail: "It has been used or has expired. Create a new one with: dotnet run --project bot -c Release -- advisors signin-link LOGIN");
        }

        // A coordinator who works only in Teams has no local login, so no password to choose: each sign-in is a new link.
        await SignInAsync(http, sessions, advisor, mustSetPassword: advisor.LocalLogin is not null && advisor.PasswordHash is null, ct);
        return TypedResults.Ok(new SignedIn(advisor.Name));
    }

    /// <summary>A new password ends every sign-in of the advisor (other devices too); this browser gets a new one.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> SetPassword(HttpContext http, AdvisorDirectory directory, AdvisorSessions sessions, CancellationToken ct)
    {
        var (request, error) = await ReadJsonAsync<PasswordRequest>(http, ct);
        if (error is not null)
        {
            return error;
        }

        if (request?.Password is not { Length: >= MinPasswordLength and <= 256 } password)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Password too short", detail: $"Use at least {MinPasswordLength} characters.");
        }

        var advisor = await directory.SetPasswordAsync(AdvisorId(http.User), password, ct);
        if (advisor is null)
        {
            await http.SignOutAsync(Scheme);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not an active advisor");
        }

        await SignInAsync(http, sessions, advisor, mustSetPassword: false, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<AdvisorSession>, ProblemHttpResult>> CreateSession(
        HttpContext http,
        AdvisorDirectory directory,
        AdvisorSessions sessions,
        AdvisorChannelRegistry registry,
        DirectLineConversationStore conversations,
        DirectLineTokenService tokens,
        IOptions<DirectLineOptions> directLine,
        AdvisorPageHistory history,
        CancellationToken ct)
    {
        var advisor = await directory.FindAsync(AdvisorId(http.User), ct);
        var session = advisor is null ? null : await sessions.FindLiveAsync(http.User.FindFirst(SessionClaim)?.Value, advisor.Id, ct);
        if (advisor is null || session is null)
        {
            await http.SignOutAsync(Scheme);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Not an active advisor");
        }

        var channel = await registry.GetAsync(ct);
        if (channel is { ChannelId: AdvisorChannelRegistry.TeamsChannel })
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "The advisors' channel is in Teams", detail: "Tickets are posted to the Teams channel; this page is not in use.");
        }

        var conversation = channel is null ? null : await conversations.FindAsync(channel.ConversationId, ct);
        if (conversation is null)
        {
            conversation = await conversations.CreateAsync(ct);
            await registry.RegisterLocalPageAsync(DirectLineActivities.ServiceUrl, conversation.Id, ct);
        }

        var token = tokens.Issue(conversation.Id, conversation.UserId, LocalAdvisorId.Format(advisor.Id), session.Id, session.ExpiresAt);
        var domain = new Uri(DirectLineEndpoints.PublicBaseUrl(http, directLine.Value), DirectLineEndpoints.RoutePrefix.TrimStart('/'));
        return TypedResults.Ok(new AdvisorSession(
            domain.AbsoluteUri,
            token.Token,
            conversation.Id,
            directLine.Value.WebSocket,
            (int)directLine.Value.PollingInterval.TotalMilliseconds,
            advisor.Name,
            http.User.HasClaim(MustSetPasswordClaim, "true"),
            await history.StartWatermarkAsync(conversation.Id, ct)));
    }

    /// <summary>Starts a page session for the advisor and sets the cookie that names it (and ends with it).</summary>
    private static async Task SignInAsync(HttpContext http, AdvisorSessions sessions, Advisor advisor, bool mustSetPassword, CancellationToken ct)
    {
        var session = await sessions.StartAsync(advisor.Id, ct);
        var claims = new List<Claim>
        {
            new(AdvisorIdClaim, advisor.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(SessionClaim, session.Id),
            new(ClaimTypes.Name, advisor.Name),
        };
        if (mustSetPassword)
        {
            claims.Add(new Claim(MustSetPasswordClaim, "true"));
        }

        await http.SignInAsync(Scheme, new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme)));
    }

    /// <summary>Every request with the cookie: the page session it names must still live, or the cookie is dropped.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessions = context.HttpContext.RequestServices.GetRequiredService<AdvisorSessions>();
        var user = context.Principal;
        if (user is null || await sessions.FindLiveAsync(user.FindFirst(SessionClaim)?.Value, AdvisorId(user), context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }

    internal static long AdvisorId(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirst(AdvisorIdClaim)?.Value, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : -1;

    /// <summary>Cookie sign-in for the advisors' page: HttpOnly, SameSite=Strict, API calls get 401 instead of a redirect.</summary>
    public static void AddAdvisorSignIn(this IServiceCollection services, TimeSpan lifetime)
    {
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "ec_advisor";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = lifetime;
            o.SlidingExpiration = false;
            o.LoginPath = "/advisors/login";
            o.Events.OnValidatePrincipal = ValidateSessionAsync;
            o.Events.OnRedirectToLogin = context =>
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder().AddPolicy(Scheme, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireClaim(AdvisorIdClaim));
    }
}
