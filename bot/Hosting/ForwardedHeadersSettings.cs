using System.ComponentModel.DataAnnotations;
using System.Net;
using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Hosting;

/// <summary>
/// Which reverse proxies may tell the bot the client's address and scheme (section "ForwardedHeaders"). Only a
/// request whose peer is one of these has its <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> applied; with
/// both lists empty the headers are ignored, as they must be when the bot is reached directly, since anyone can
/// send them. Named Settings because ASP.NET Core's <c>ForwardedHeadersOptions</c>, built from it, has the name.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Networks of trusted proxies in CIDR notation, e.g. <c>10.0.0.0/8</c> or <c>fd00::/8</c>.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>Addresses of single trusted proxies, e.g. <c>10.0.0.5</c>.</summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>
    /// How many proxies in a row may each add an entry to <c>X-Forwarded-For</c>: 1 for one proxy in front of the
    /// bot, 2 for a load balancer in front of that proxy (both trusted).
    /// </summary>
    [Range(1, 10)]
    public int ForwardLimit { get; set; } = 1;

    /// <summary>Whether any proxy is trusted, i.e. whether forwarded headers are applied at all.</summary>
    public bool Enabled => KnownNetworks.Count > 0 || KnownProxies.Count > 0;

    /// <summary>The networks, parsed; call only after validation.</summary>
    public IEnumerable<IPNetwork> Networks() => KnownNetworks.Select(n => IPNetwork.Parse(n.Trim()));

    /// <summary>The proxies' addresses, parsed; call only after validation.</summary>
    public IEnumerable<IPAddress> Proxies() => KnownProxies.Select(p => IPAddress.Parse(p.Trim()));
}

/// <summary>Checks every network and address at start-up and names the entry that is not one.</summary>
public sealed class ForwardedHeadersSettingsValidation : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!IPNetwork.TryParse(options.KnownNetworks[i]?.Trim(), out _))
            {
                failures.Add($"{ForwardedHeadersSettings.SectionName}:KnownNetworks:{i} ('{options.KnownNetworks[i]}') is not a network in CIDR notation such as 10.0.0.0/8.");
            }
        }

        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i]?.Trim(), out _))
            {
                failures.Add($"{ForwardedHeadersSettings.SectionName}:KnownProxies:{i} ('{options.KnownProxies[i]}') is not an IP address such as 10.0.0.5.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
