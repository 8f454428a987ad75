using System.Net;
using ExportCenter.Bot.Testing;

namespace ExportCenter.Bot.Tests.DirectLine;

/// <summary>A restart of the bot on the same database keeps tokens, conversations and history valid.</summary>
public sealed class RestartTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task AfterARestart_TheOldTokenStillWorks_AndTheHistoryIsThere(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var settings = database.Settings;
        string token, conversationId;
        using (var before = new BotApp(settings))
        {
            var client = await new DirectLineClient(before.CreateHttpClient()).OpenAsync();
            (await client.PostMessageAsync("Före omstarten")).Dispose();
            (token, conversationId) = (client.Token, client.ConversationId);
        }

        using var after = new BotApp(settings);
        var resumed = new DirectLineClient(after.CreateHttpClient()) { Token = token, ConversationId = conversationId };
        using var post = await resumed.PostMessageAsync("Efter omstarten", "r2");

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var history = await resumed.HistoryAsync();
        Assert.Equal(5, history.Count);
        Assert.Equal("Före omstarten", history[1]!["text"]!.GetValue<string>());
    }
}
