using System.Globalization;
using ExportCenter.Bot.Outbox;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Channels;

/// <summary>Turns a Bot Connector's "try again" answers (429, 412, 5xx, unreachable) into outbox retries that honour Retry-After.</summary>
public static class ConnectorRetry
{
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromHours(1);

    public static async Task TranslateAsync(Task delivery, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(time);
        try
        {
            await delivery;
        }
        catch (ErrorResponseException ex) when (ex.Response is not null)
        {
            var status = (int)ex.Response.StatusCode;
            throw new OutboxRetryException(string.Create(CultureInfo.InvariantCulture, $"HTTP {status}"), RetryAfter(ex.Response, time), ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OutboxRetryException("connector unreachable", null, ex);
        }
    }

    /// <summary>Retry-After in seconds or as an HTTP date, at most an hour; null when absent or unreadable.</summary>
    public static TimeSpan? RetryAfter(Microsoft.Rest.HttpResponseMessageWrapper response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(time);
        if (response.Headers is null || !response.Headers.TryGetValue("Retry-After", out var values))
        {
            return null;
        }

        var value = values.FirstOrDefault();
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, LongestRetryAfter.TotalSeconds));
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at - time.GetUtcNow() : null;
    }
}
