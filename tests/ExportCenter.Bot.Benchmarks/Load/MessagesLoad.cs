using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>
/// Turns through <c>POST /api/messages</c> as a channel sends them (no token: the bot runs with
/// <c>Bot:AllowUnauthenticatedMessages</c>). A turn is answered when the endpoint answers 2xx, which the adapter does once
/// the turn, and with it the reply to the fake connector, is done. Each connection talks in conversations of its own.
/// </summary>
internal sealed class MessagesLoad(HttpClient http, Uri serviceUrl, string run)
{
    /// <summary>How many conversations one connection takes turns in, in rotation.</summary>
    private const int ConversationsPerConnection = 4;

    public async Task<TimeSpan?> TurnAsync(int worker, long n)
    {
        var (text, locale) = Questions.For(worker, n);
        var conversation = string.Create(CultureInfo.InvariantCulture, $"{run}-{worker}-{n % ConversationsPerConnection}");
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = string.Create(CultureInfo.InvariantCulture, $"{run}-{worker}-{n}"),
            ["timestamp"] = "2026-12-01T10:00:00.000Z",
            ["channelId"] = "directline",
            ["serviceUrl"] = serviceUrl.AbsoluteUri,
            ["from"] = new JsonObject { ["id"] = "user-" + conversation, ["role"] = "user" },
            ["recipient"] = new JsonObject { ["id"] = "bot", ["role"] = "bot" },
            ["conversation"] = new JsonObject { ["id"] = conversation },
            ["locale"] = locale,
            ["text"] = text,
        };
        using var content = new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json");
        var sent = Stopwatch.GetTimestamp();
        using var answer = await http.PostAsync("api/messages", content);
        return answer.IsSuccessStatusCode ? Stopwatch.GetElapsedTime(sent) : null;
    }
}
