using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ExportCenter.Bot.Testing;

/// <summary>A Direct Line 3.0 client over HTTP for the protocol tests, shaped like DirectLineJS's calls.</summary>
public sealed class DirectLineClient(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public string Token { get; set; } = "";

    public string ConversationId { get; set; } = "";

    public string? StreamUrl { get; set; }

    /// <summary>The locale the client's messages carry (Web Chat sends the page's language).</summary>
    public string Locale { get; set; } = "sv-SE";

    /// <summary>The body of the last successful start.</summary>
    public JsonObject? LastStart { get; private set; }

    /// <summary>Gets a session from the page's token endpoint.</summary>
    public async Task<JsonObject> CreateSessionAsync()
    {
        using var response = await Http.PostAsync("api/chat/session", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var session = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Token = session["token"]!.GetValue<string>();
        ConversationId = session["conversationId"]!.GetValue<string>();
        return session;
    }

    public async Task<HttpResponseMessage> StartAsync(string? locale = "sv-SE")
    {
        var body = new JsonObject { ["user"] = new JsonObject { ["id"] = "client-chosen" } };
        if (locale is not null)
        {
            body["locale"] = locale;
        }

        var response = await SendAsync(HttpMethod.Post, "v3/directline/conversations", body.ToJsonString());
        if (response.IsSuccessStatusCode)
        {
            var started = LastStart = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            StreamUrl = started["streamUrl"]?.GetValue<string>();
            Token = started["token"]!.GetValue<string>();
        }

        return response;
    }

    /// <summary>Creates a session and starts the conversation.</summary>
    public async Task<DirectLineClient> OpenAsync(string locale = "sv-SE")
    {
        await CreateSessionAsync();
        using var response = await StartAsync(locale);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return this;
    }

    public Task<HttpResponseMessage> PostActivityAsync(string json, string? conversationId = null, string? token = null) =>
        SendAsync(HttpMethod.Post, $"v3/directline/conversations/{conversationId ?? ConversationId}/activities", json, token);

    public Task<HttpResponseMessage> PostMessageAsync(string text, string clientActivityId = "client-1") =>
        PostActivityAsync(new JsonObject
        {
            ["type"] = "message",
            ["text"] = text,
            ["locale"] = Locale,
            ["channelData"] = new JsonObject { ["clientActivityID"] = clientActivityId },
        }.ToJsonString());

    public Task<HttpResponseMessage> GetActivitiesAsync(string? watermark = "", string? conversationId = null, string? token = null) =>
        SendAsync(HttpMethod.Get, $"v3/directline/conversations/{conversationId ?? ConversationId}/activities?watermark={watermark}", null, token);

    /// <summary>The whole stored history, read with a fresh GET from the start.</summary>
    public async Task<JsonArray> HistoryAsync()
    {
        using var response = await GetActivitiesAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["activities"]!.AsArray();
    }

    /// <summary>The watermark after the last <see cref="ActivitiesAfterAsync"/>; empty before the first.</summary>
    public string Watermark { get; private set; } = "";

    /// <summary>
    /// Every activity stored after the watermark, paging on with GET as DirectLineJS does, and keeps the new
    /// watermark in <see cref="Watermark"/>.
    /// </summary>
    public async Task<IReadOnlyList<JsonNode?>> ActivitiesAfterAsync(string watermark)
    {
        var activities = new List<JsonNode?>();
        while (true)
        {
            using var response = await GetActivitiesAsync(watermark);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var set = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
            var page = set["activities"]!.AsArray();
            watermark = set["watermark"]?.GetValue<string>() ?? watermark;
            if (page.Count == 0)
            {
                Watermark = watermark;
                return activities;
            }

            activities.AddRange(page.Select(a => a?.DeepClone()));
        }
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json, string? token = null)
    {
        using var request = new HttpRequestMessage(method, path);
        var bearer = token ?? Token;
        if (bearer.Length > 0)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await Http.SendAsync(request);
    }
}
