using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Channels.DirectLine;
using ExportCenter.Bot.Testing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>
/// The bot's side of the embedded channel, through the real Bot Builder adapter and connector client:
/// proactive sends and updates reach the conversation, an update replaces the activity under its id.
/// </summary>
public sealed class EmbeddedConnectorTests : IDisposable
{
    private readonly BotApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task UpdateActivity_ReplacesTheActivityUnderItsId_AndReEmitsItAfterTheWatermark()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        (await client.PostMessageAsync("Hej")).Dispose();
        var welcomeId = (await client.HistoryAsync())[0]!["id"]!.GetValue<string>();
        using var before = await client.GetActivitiesAsync("");
        var watermark = (await before.Content.ReadFromJsonAsync<JsonObject>())!["watermark"]!.GetValue<string>();

        await ContinueAsync(client, async (turn, ct) =>
        {
            var update = MessageFactory.Text("Kortet är uppdaterat.");
            update.Id = welcomeId;
            await turn.UpdateActivityAsync(update, ct);
        });

        var history = await client.HistoryAsync();
        Assert.Single(history, a => a!["id"]!.GetValue<string>() == welcomeId);
        var updated = history.Single(a => a!["id"]!.GetValue<string>() == welcomeId)!;
        Assert.Equal("Kortet är uppdaterat.", updated["text"]!.GetValue<string>());
        Assert.Equal("bot", updated["from"]!["role"]!.GetValue<string>());
        using var after = await client.GetActivitiesAsync(watermark);
        var reEmitted = Assert.Single((await after.Content.ReadFromJsonAsync<JsonObject>())!["activities"]!.AsArray());
        Assert.Equal(welcomeId, reEmitted!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ProactiveMessage_IsStoredWithTheChannelsIdentity()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();

        await ContinueAsync(client, (turn, ct) => turn.SendActivityAsync(MessageFactory.Text("En rådgivare har tagit ditt ärende."), ct));

        var last = (await client.HistoryAsync()).Last()!;
        Assert.Equal("En rådgivare har tagit ditt ärende.", last["text"]!.GetValue<string>());
        Assert.Equal("bot", last["from"]!["role"]!.GetValue<string>());
        Assert.Equal(client.ConversationId, last["conversation"]!["id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(last["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task UpdateOfAnUnknownActivity_IsRefused_AndTheTurnErrorHandlerTellsTheUser()
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync();
        var welcome = (await client.HistoryAsync())[0]!.ToJsonString();
        var unknownId = client.ConversationId + "|9999999";

        await ContinueAsync(client, async (turn, ct) =>
        {
            var update = MessageFactory.Text("x");
            update.Id = unknownId;
            await turn.UpdateActivityAsync(update, ct);
        });

        var history = await client.HistoryAsync();
        Assert.Equal(welcome, history[0]!.ToJsonString());
        Assert.DoesNotContain(history, a => a!["id"]!.GetValue<string>() == unknownId);
        Assert.Equal(ExportCenter.Dialogs.Conversation.BotTexts.Swedish.TurnError, history.Last()!["text"]!.GetValue<string>());
    }

    private Task ContinueAsync(DirectLineClient client, BotCallbackHandler callback)
    {
        var adapter = _app.Services.GetRequiredService<EmbeddedChannelAdapter>();
        var reference = new ConversationReference
        {
            ChannelId = DirectLineActivities.ChannelId,
            ServiceUrl = DirectLineActivities.ServiceUrl,
            Conversation = new ConversationAccount(id: client.ConversationId),
            Bot = new ChannelAccount("exportcenter-bot"),
        };
        return adapter.ContinueConversationAsync(string.Empty, reference, callback, CancellationToken.None);
    }
}
