using System.Net;
using ExportCenter.Bot.Retention;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.Storage;

/// <summary>"Did this help?" over the embedded channel lands in the database without text, and retention removes it after its period.</summary>
public sealed class AnswerFeedbackTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ANoToDidThisHelp_IsKeptAsTopicAndNo_AndDeletedAfterAYear(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var clock = TestClock.Create();
        using var app = new BotApp(database.Settings, s => s.AddSingleton<TimeProvider>(clock));
        var chat = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        foreach (var line in new[] { "Hur skaffar jag ett EORI-nummer?", "nej" })
        {
            using var response = await chat.PostMessageAsync(line, Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var factory = app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var kept = await db.AnswerFeedback.AsNoTracking().SingleAsync();
            Assert.Equal(("customs-eori", (string?)null, false, "sv", clock.GetUtcNow()), (kept.TopicId, kept.Facet, kept.Helped, kept.Language, kept.At));
        }

        clock.Advance(TimeSpan.FromDays(364));
        Assert.Equal(0, (await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None)).AnswerFeedback);
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, (await app.Services.GetRequiredService<RetentionSweeper>().SweepAsync(CancellationToken.None)).AnswerFeedback);
    }
}
