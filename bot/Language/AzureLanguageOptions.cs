using System.ComponentModel.DataAnnotations;

namespace ExportCenter.Bot.Language;

/// <summary>
/// Section "Language": which backend tells languages and masks personal data. <c>Local</c> (the default) keeps everything in
/// the process. <c>Azure</c> sends company messages to the region's own Azure AI Language resource, in an EU region, and
/// nowhere else; the privacy notice then says so.
/// </summary>
public sealed class AzureLanguageOptions
{
    public const string SectionName = "Language";

    /// <summary>Azure regions in the EU (and the EEA's Norway), the only ones the bot will send company text to.</summary>
    public static readonly IReadOnlyList<string> EuRegions =
    [
        "swedencentral", "northeurope", "westeurope", "francecentral", "francesouth", "germanywestcentral", "germanynorth",
        "italynorth", "polandcentral", "spaincentral", "norwayeast", "norwaywest",
    ];

    /// <summary>Local or Azure.</summary>
    public string Provider { get; set; } = "Local";

    /// <summary>The resource's endpoint, such as https://ec-dalarna.cognitiveservices.azure.com/.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The Azure region of the resource (swedencentral, …): it must be one of <see cref="EuRegions"/>.</summary>
    public string? Region { get; set; }

    /// <summary>The resource's key; leave empty to sign in with the host's managed identity.</summary>
    public string? Key { get; set; }

    /// <summary>A user-assigned managed identity's client id; empty for the system-assigned one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>The REST API version (the one Azure.AI.TextAnalytics 5.3 calls).</summary>
    public string ApiVersion { get; set; } = "2023-04-01";

    /// <summary>How long one attempt may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times a failed or throttled request is tried again (a 429's Retry-After is waited for).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>The longest wait between attempts, a Retry-After included: a turn waits for language detection.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsAzure => string.Equals(Provider, "Azure", StringComparison.OrdinalIgnoreCase);

    /// <summary>What is wrong with an Azure configuration, or null.</summary>
    public string? Problem()
    {
        if (!IsAzure)
        {
            return string.Equals(Provider, "Local", StringComparison.OrdinalIgnoreCase) ? null : "Language:Provider must be Local or Azure.";
        }

        if (Endpoint is not { IsAbsoluteUri: true } endpoint)
        {
            return "Language:Provider=Azure needs Language:Endpoint, the resource's https address.";
        }

        if (endpoint.Scheme != Uri.UriSchemeHttps && !endpoint.IsLoopback)
        {
            return "Language:Endpoint must be https.";
        }

        if (Region is null || !EuRegions.Contains(Region, StringComparer.OrdinalIgnoreCase))
        {
            return $"Language:Region must be the resource's Azure region in the EU: one of {string.Join(", ", EuRegions)}. Company text goes nowhere else.";
        }

        return null;
    }
}
