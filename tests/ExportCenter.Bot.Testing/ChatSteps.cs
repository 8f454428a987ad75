using System.Net;
using ExportCenter.Bot.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Testing;

/// <summary>Steps several tests take: a company's complete handoff, draining the outbox, reading a chat's texts.</summary>
public static class ChatSteps
{
    /// <summary>A company's handoff from the first message to its ticket number, through <paramref name="http"/> when given.</summary>
    public static async Task<DirectLineClient> CompleteHandoffAsync(BotApp app, HttpClient? http = null)
    {
        var chat = await new DirectLineClient(http ?? app.CreateHttpClient()).OpenAsync("sv-SE");
        foreach (var line in new[] { "Banken vill inte förskottera produktionen för en order till Kanada", "prata med en människa", "ja", "Ludvika Gjuteri AB", "hoppa över", "Anna Berg", "anna.berg@gjuteri.se", "Ludvika", "svenska", "ja" })
        {
            using var response = await chat.PostMessageAsync(line, Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The year comes from the host's clock (a fake one or, in the browser tests, the system's).
        Assert.Matches(@"^Tack! Ditt ärende har nummer EXP-\d{4}-00001\.", (await TextsAsync(chat)).Last());
        return chat;
    }

    /// <summary>
    /// Sends what the outbox has due, round after round (a sent message may queue another), until a round sends
    /// nothing; fails when the tenth round still sent something.
    /// </summary>
    public static async Task DrainOutboxAsync(BotApp app)
    {
        const int Rounds = 10;
        var processor = app.Services.GetRequiredService<OutboxProcessor>();
        for (var round = 0; round < Rounds; round++)
        {
            if (await processor.ProcessDueAsync(CancellationToken.None) == 0)
            {
                return;
            }
        }

        Assert.Fail($"The outbox was still sending messages after {Rounds} rounds: does a sent message keep queueing another?");
    }

    public static async Task<List<string>> TextsAsync(DirectLineClient client) =>
        [.. (await client.HistoryAsync()).Select(a => a!["text"]?.GetValue<string>()).OfType<string>()];
}
