using System.Net;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.BotFramework;

/// <summary>A failing turn: the user is told plainly in their language and the broken state is cleared.</summary>
public sealed class TurnErrorTests : IDisposable
{
    private const string Trigger = "trigger-a-failure";
    private readonly BotApp _app = new(services: s => s.AddSingleton<IMiddleware>(new FailingMiddleware()));

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("sv-SE")]
    [InlineData("en-US")]
    public async Task FailingTurn_ApologisesInTheUsersLanguage_AndClearsTheConversationState(string locale)
    {
        var client = await new DirectLineClient(_app.CreateHttpClient()).OpenAsync(locale);
        var stateKey = $"directline/conversations/{client.ConversationId}";
        Assert.True(await StateExistsAsync(stateKey));

        using var response = await client.PostActivityAsync(
            new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "message",
                ["text"] = Trigger,
                ["locale"] = locale,
                ["channelData"] = new System.Text.Json.Nodes.JsonObject { ["clientActivityID"] = "f1" },
            }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var apology = (await client.HistoryAsync()).Last()!["text"]!.GetValue<string>();
        var texts = locale.StartsWith("sv", StringComparison.Ordinal) ? BotTexts.Swedish : BotTexts.English;
        Assert.Equal(texts.TurnError, apology);
        Assert.False(await StateExistsAsync(stateKey));

        (await client.PostMessageAsync("Hur skaffar vi ett EORI-nummer?", "f2")).Dispose();
        var next = (await client.HistoryAsync()).Last()!;
        Assert.Equal("bot", next["from"]!["role"]!.GetValue<string>());
        Assert.NotNull(next["attachments"]);
    }

    private async Task<bool> StateExistsAsync(string key)
    {
        var factory = _app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        return await db.BotState.AnyAsync(s => s.Key == key);
    }

    private sealed class FailingMiddleware : IMiddleware
    {
        public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default) =>
            turnContext.Activity.Text == Trigger
                ? throw new InvalidOperationException("A deliberately broken turn.")
                : next(cancellationToken);
    }
}
