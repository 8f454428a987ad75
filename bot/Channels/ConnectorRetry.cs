using System.Globalization;
using System.Net;
using ExportCenter.Bot.Outbox;
using Microsoft.Bot.Schema;

namespace ExportCenter.Bot.Channels;

/// <summary>
/// Turns a Bot Connector's error answers into outbox failures: a refusal that a repeat will not change (400 bad request,
/// 403 the bot may not post there, 404 a deleted conversation, 410, 413 too large) is permanent; everything else
/// (429, 412, 5xx, 401 until the bot's credentials are fixed, unreachable) is a retry that honours Retry-After.
/// </summary>
public static class ConnectorRetry
{
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromHours(1);

    /// <summary>Whether a connector's HTTP status refuses the request for good.</summary>
    public static bool IsPermanent(HttpStatusCode status) => status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden
        or HttpStatusCode.NotFound or HttpStatusCode.Gone or HttpStatusCode.RequestEntityTooLarge;

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
            var reason = string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)ex.Response.StatusCode}");
            if (IsPermanent(ex.Response.StatusCode))
            {
                throw new OutboxPermanentFailureException(reason, ex);
            }

            throw new OutboxRetryException(reason, RetryAfter(ex.Response, time), ex);
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
