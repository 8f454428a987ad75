using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ExportCenter.Bot.Hosting;

/// <summary>
/// HTTP Strict Transport Security (section "Hsts"): when enabled, every answer tells the browser to use only https
/// for this host for <see cref="MaxAge"/>. Sent only when the public URL is https (browsers ignore it over http).
/// Named Settings because ASP.NET Core's <c>HstsOptions</c> has the name.
/// </summary>
public sealed class HstsSettings
{
    public const string SectionName = "Hsts";

    /// <summary>Send the header. Off by default: once a browser has it, the host cannot go back to http.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long the browser keeps to https (the header's max-age).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "730.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Cover the host's subdomains too; only when all of them serve https.</summary>
    public bool IncludeSubDomains { get; set; }

    /// <summary>The header's value.</summary>
    public string HeaderValue() =>
        "max-age=" + ((long)MaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture) + (IncludeSubDomains ? "; includeSubDomains" : string.Empty);
}
