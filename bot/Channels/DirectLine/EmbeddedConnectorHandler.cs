using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExportCenter.Bot.Channels.DirectLine;

/// <summary>
/// The Bot Connector REST routes of the embedded channel (<c>{serviceUrl}/v3/conversations/...</c>), served
/// in memory: the embedded channel's adapter sends its replies through an HttpClient built on this
/// handler, so they never cross a network and nobody but the bot can call them.
/// Send, reply and update are supported; update re-emits the activity with its old id, which Web Chat
/// shows in place of the old one.
/// </summary>
public sealed class EmbeddedConnectorHandler(
    DirectLineConversationStore store,
    DirectLineActivities activities,
    IDirectLineStreamSignals streams,
    TimeProvider time) : HttpMessageHandler
{
    /// <summary>
    /// A top-level field the bot may set on an activity it sends in this channel: the key it is kept with
    /// (<see cref="DirectLineActivity.RetainWith"/>). It is taken off before the activity is stored or streamed.
    /// </summary>
    public const string RetainWithProperty = "exportcenter:retainWith";

    private const int MaxRetainWithLength = 64;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var segments = request.RequestUri!.AbsolutePath.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        if (segments is not ["v3", "conversations", var conversationId, "activities", ..] || segments.Length > 5)
        {
            return Error(HttpStatusCode.NotFound, "NotFound", "The embedded channel does not serve this connector operation.");
        }

        var activityId = segments.Length == 5 ? segments[4] : null;
        if (request.Method == HttpMethod.Post)
        {
            var activity = await ReadActivityAsync(request, cancellationToken);
            return activity is null
                ? Error(HttpStatusCode.BadRequest, "BadArgument", "The body must be a JSON activity.")
                : await SendToConversationAsync(conversationId, activity, cancellationToken);
        }

        if (request.Method == HttpMethod.Put && activityId is not null)
        {
            var activity = await ReadActivityAsync(request, cancellationToken);
            return activity is null
                ? Error(HttpStatusCode.BadRequest, "BadArgument", "The body must be a JSON activity.")
                : await UpdateAsync(conversationId, activityId, activity, cancellationToken);
        }

        return Error(HttpStatusCode.MethodNotAllowed, "BadArgument", "This channel does not support this operation.");
    }

    private async Task<HttpResponseMessage> SendToConversationAsync(string conversationId, JsonObject activity, CancellationToken cancellationToken)
    {
        var retainWith = TakeRetainWith(activity);
        var conversation = await store.FindAsync(conversationId, cancellationToken);
        if (conversation is null)
        {
            return Error(HttpStatusCode.NotFound, "NotFound", "Unknown conversation.");
        }

        if (activity["type"]?.GetValue<string>() == "typing")
        {
            // Typing is shown live over the WebSocket only and never stored (as in Direct Line).
            var typingId = conversationId + "|typing-" + Guid.NewGuid().ToString("N");
            activities.CompleteFromBot(activity, conversation, typingId, time.GetUtcNow());
            streams.Publish(conversationId, activity);
            return Ok(typingId);
        }

        var id = await store.AppendAsync(conversationId, activity, (a, newId, at) => activities.CompleteFromBot(a, conversation, newId, at), retainWith, cancellationToken);
        return id is null ? Error(HttpStatusCode.NotFound, "NotFound", "Unknown conversation.") : Ok(id);
    }

    private async Task<HttpResponseMessage> UpdateAsync(string conversationId, string activityId, JsonObject activity, CancellationToken cancellationToken)
    {
        var conversation = await store.FindAsync(conversationId, cancellationToken);
        if (conversation is null)
        {
            return Error(HttpStatusCode.NotFound, "NotFound", "Unknown conversation.");
        }

        // An update keeps the key the activity was stored with.
        TakeRetainWith(activity);
        activities.CompleteFromBot(activity, conversation, activityId, time.GetUtcNow());
        return await store.ReplaceAsync(conversationId, activityId, activity, cancellationToken)
            ? Ok(activityId)
            : Error(HttpStatusCode.NotFound, "NotFound", "Unknown activity.");
    }

    /// <summary>Removes <see cref="RetainWithProperty"/> from the activity; returns its value when it is a usable key.</summary>
    private static string? TakeRetainWith(JsonObject activity)
    {
        if (!activity.Remove(RetainWithProperty, out var value))
        {
            return null;
        }

        return value is JsonValue v && v.TryGetValue<string>(out var key) && key.Length is > 0 and <= MaxRetainWithLength ? key : null;
    }

    private static async Task<JsonObject?> ReadActivityAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken)) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static HttpResponseMessage Ok(string id) => Json(HttpStatusCode.OK, new JsonObject { ["id"] = id });

    private static HttpResponseMessage Error(HttpStatusCode status, string code, string message) =>
        Json(status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) => new(status)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };
}
