using ExportCenter.Bot.Channels.DirectLine;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Hosting;

/// <summary>
/// Running behind a reverse proxy that terminates TLS: the client's address and scheme from trusted proxies only
/// (so per-client limits count the client, not the proxy), <c>Secure</c> sign-in cookies and HSTS when the public
/// URL is https.
/// </summary>
public static class ReverseProxyExtensions
{
    /// <summary>Binds and checks "ForwardedHeaders" and "Hsts", and builds ASP.NET Core's forwarded-headers options from them.</summary>
    public static IHostApplicationBuilder AddReverseProxy(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidation>();
        builder.Services.AddOptions<ForwardedHeadersSettings>()
            .Bind(builder.Configuration.GetSection(ForwardedHeadersSettings.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<HstsSettings>()
            .Bind(builder.Configuration.GetSection(HstsSettings.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((forwarded, settings) =>
        {
            // The client's address and scheme only. X-Forwarded-Host is not taken: the proxy keeps the Host header
            // (or DirectLine:PublicBaseUrl names the public host), so no header can move the bot to another host.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = settings.Value.ForwardLimit;

            // ASP.NET Core trusts loopback by default; here only what the configuration names is trusted.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var network in settings.Value.Networks())
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            foreach (var proxy in settings.Value.Proxies())
            {
                forwarded.KnownProxies.Add(proxy);
            }
        });
        builder.Services.AddSingleton<IPostConfigureOptions<CookieAuthenticationOptions>, SecureCookiesOnPublicHttps>();
        return builder;
    }

    /// <summary>
    /// First in the pipeline: applies trusted forwarded headers (so everything after sees the client's address and
    /// scheme), then adds HSTS to every answer when it is enabled and the public URL is https.
    /// </summary>
    public static WebApplication UseReverseProxy(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled)
        {
            app.UseForwardedHeaders();
        }

        var hsts = app.Services.GetRequiredService<IOptions<HstsSettings>>().Value;
        if (hsts.Enabled)
        {
            var header = hsts.HeaderValue();
            var directLine = app.Services.GetRequiredService<IOptions<DirectLineOptions>>();
            app.Use((http, next) =>
            {
                if (DirectLineEndpoints.PublicBaseUrl(http, directLine.Value).Scheme == Uri.UriSchemeHttps)
                {
                    http.Response.Headers.StrictTransportSecurity = header;
                }

                return next(http);
            });
        }

        return app;
    }

    /// <summary>
    /// Sign-in cookies (the advisors' page) are always <c>Secure</c> when the configured public URL is https, even
    /// though the proxy talks to the bot over http; without one they follow the request's scheme, which trusted
    /// forwarded headers set.
    /// </summary>
    private sealed class SecureCookiesOnPublicHttps(IOptions<DirectLineOptions> directLine) : IPostConfigureOptions<CookieAuthenticationOptions>
    {
        public void PostConfigure(string? name, CookieAuthenticationOptions options)
        {
            if (directLine.Value.PublicBaseUrl?.Scheme == Uri.UriSchemeHttps)
            {
                options.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            }
        }
    }
}
