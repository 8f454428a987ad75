using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using ExportCenter.Dialogs.Conversation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Bot.Tests.Storage;

/// <summary>Bot state through IStorage on EF Core, on SQLite and on PostgreSQL.</summary>
public sealed class BotStateStorageTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task WrittenState_IsReadBackWithAnETag_AndDeleted(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = new BotApp(database.Settings);
        var storage = app.Services.GetRequiredService<IStorage>();

        await storage.WriteAsync(new Dictionary<string, object> { ["directline/conversations/a"] = new { Language = "sv", Step = 2 } });
        var read = await storage.ReadAsync(["directline/conversations/a", "directline/conversations/missing"]);

        var item = JObject.FromObject(Assert.IsType<Dictionary<string, object>>(Assert.Single(read).Value));
        Assert.Equal("sv", item["Language"]!.ToString());
        Assert.False(string.IsNullOrEmpty(item["eTag"]?.ToString()));
        await storage.DeleteAsync(["directline/conversations/a"]);
        Assert.Empty(await storage.ReadAsync(["directline/conversations/a"]));
    }

    /// <summary>
    /// The dialogs' own properties come back as their types, which BotState hands out as they are (a JObject it would
    /// convert anew on each read); what a later write stored is what the next read gives, and what the database holds
    /// (on SQLite the read may come from the instance's memory, the write goes through a connection of its own).
    /// </summary>
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TheDialogsProperties_AreReadAsTheirTypes_AndEachReadGivesTheLastWrite(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = new BotApp(database.Settings);
        var storage = app.Services.GetRequiredService<IStorage>();
        const string key = "directline/conversations/typed";

        foreach (var topic in new[] { "customs-eori", "export-credit", "vat-eu" })
        {
            await storage.WriteAsync(new Dictionary<string, object>
            {
                [key] = new Dictionary<string, object>
                {
                    [nameof(ConversationData)] = new ConversationData { LastTopic = topic, RecentMessages = ["Hur skaffar vi ett EORI-nummer?"] },
                    ["Other"] = new { Step = 2 },
                },
            });
            var item = Assert.IsType<Dictionary<string, object>>(Assert.Single(await storage.ReadAsync([key])).Value);

            Assert.Equal(topic, Assert.IsType<ConversationData>(item[nameof(ConversationData)]).LastTopic);
            Assert.Equal(["Hur skaffar vi ett EORI-nummer?"], ((ConversationData)item[nameof(ConversationData)]).RecentMessages);
            Assert.Equal(2, Assert.IsType<JObject>(item["Other"])["Step"]!.Value<int>());
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
            var row = await db.BotState.AsNoTracking().SingleAsync(s => s.Key == key);
            Assert.Equal(topic, JObject.Parse(row.Json)[nameof(ConversationData)]!["LastTopic"]!.ToString());
            Assert.Equal(item["eTag"], row.ETag);
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ManyTurnsCreatingOneItemAtOnce_AllSucceed_AndLogNoDatabaseFailure(string provider)
    {
        using var database = TestDatabase.Create(provider);
        var log = new RecordingLoggerProvider();
        using var app = new BotApp(database.Settings, s => s.AddSingleton<ILoggerProvider>(log));
        var storage = app.Services.GetRequiredService<IStorage>();
        await storage.ReadAsync(["warm-up"]);
        log.Clear(); // start-up's own entries (a new database has no migrations history yet) are not the point

        for (var round = 0; round < 5; round++)
        {
            var key = $"directline/conversations/race-{round}";
            await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
                storage.WriteAsync(new Dictionary<string, object> { [key] = new { Writer = i } }))));
            Assert.Single(await storage.ReadAsync([key]));
        }

        Assert.DoesNotContain(log.Entries, e => e.Level >= LogLevel.Error && e.Category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task StoreItem_WithAStaleETag_IsRefused(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = new BotApp(database.Settings);
        var storage = app.Services.GetRequiredService<IStorage>();
        var first = new Counter { Value = 1, ETag = "*" };
        await storage.WriteAsync(new Dictionary<string, object> { ["k"] = first });
        var staleETag = first.ETag;
        await storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Counter { Value = 2, ETag = staleETag } });

        await Assert.ThrowsAnyAsync<Exception>(() => storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Counter { Value = 3, ETag = staleETag } }));

        var stored = JObject.FromObject((await storage.ReadAsync(["k"]))["k"]);
        Assert.Equal(2, stored["Value"]!.Value<int>());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task TwoConversations_DoNotSeeEachOthersState(string provider)
    {
        using var database = TestDatabase.Create(provider);
        using var app = new BotApp(database.Settings);
        var first = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("sv-SE");
        var second = await new DirectLineClient(app.CreateHttpClient()).OpenAsync("en-US");
        var storage = app.Services.GetRequiredService<IStorage>();

        var states = await storage.ReadAsync([$"directline/conversations/{first.ConversationId}", $"directline/conversations/{second.ConversationId}"]);

        Assert.Equal("sv", JObject.FromObject(states[$"directline/conversations/{first.ConversationId}"])["ConversationData"]!["Language"]!.ToString());
        Assert.Equal("en", JObject.FromObject(states[$"directline/conversations/{second.ConversationId}"])["ConversationData"]!["Language"]!.ToString());
    }

    private sealed class Counter : IStoreItem
    {
        public int Value { get; set; }

        public string ETag { get; set; } = "*";
    }
}
