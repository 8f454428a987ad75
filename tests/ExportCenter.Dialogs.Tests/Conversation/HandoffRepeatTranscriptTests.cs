using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>
/// The turn that writes the ticket, run again from the state saved before it (a crash after the ticket's commit lost
/// the state that recorded it): it hands the ticket system the handoff's key again and confirms the same ticket.
/// </summary>
public sealed class HandoffRepeatTranscriptTests
{
    private static readonly string[] Swedish = ["prata med en människa", "ja", "Testbolaget AB", "hoppa över", "Anna Berg", "anna@testbolaget.se", "Falun", "svenska", "Vi vill exportera till Norge och behöver hjälp."];
    private static readonly string[] English = ["talk to a person", "yes", "Test Company AB", "skip", "Anna Berg", "anna@testbolaget.se", "Falun", "English", "We want to export to Norway and need help."];

    [Theory]
    [InlineData("sv-SE")]
    [InlineData("en-GB")]
    public async Task TheTicketTurnRunAgain_FromTheStateBeforeIt_HandsTheSameKey_AndConfirmsTheSameTicket(string locale)
    {
        var saved = new Dictionary<string, JObject>();
        var host = new ConversationHost(storage: new MemoryStorage(saved));
        var chat = host.Chat(locale);
        var lines = locale == "sv-SE" ? Swedish : English;
        var confirmation = Prefix((locale == "sv-SE" ? HandoffTexts.Swedish : HandoffTexts.English).Confirmation);
        foreach (var line in lines[..^1])
        {
            await chat.SayAsync(line);
        }

        var beforeTheTicket = Copy(saved);
        Assert.Contains(confirmation + "EXP-TEST-00001.", string.Join('\n', await chat.SayAsync(lines[^1])), StringComparison.Ordinal);
        Restore(saved, beforeTheTicket);
        var repeated = await chat.SayAsync(lines[^1]);

        Assert.Contains(confirmation + "EXP-TEST-00001.", string.Join('\n', repeated), StringComparison.Ordinal);
        var requests = host.Tickets.Created.ToList();
        Assert.Equal(2, requests.Count);
        Assert.False(string.IsNullOrEmpty(requests[0].HandoffKey), "The handoff has a key.");
        Assert.Equal(requests[0].HandoffKey, requests[1].HandoffKey);
        Assert.Equal(requests[0].HandoffKey, requests[0].Details.HandoffKey);
    }

    [Fact]
    public async Task AHandoffBegunAgain_HasAKeyOfItsOwn()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");
        foreach (var line in Swedish)
        {
            await chat.SayAsync(line);
        }

        // The company asks for a person again: a new handoff, which must not be taken for a repeat of the first.
        await chat.SayAsync("prata med en människa");
        var asked = await chat.SayAsync("ja");
        foreach (var line in Swedish[2..])
        {
            asked = await chat.SayAsync(line);
        }

        Assert.Contains(Prefix(HandoffTexts.Swedish.Confirmation) + "EXP-TEST-00002.", string.Join('\n', asked), StringComparison.Ordinal);
        var keys = host.Tickets.Created.Select(r => r.HandoffKey).ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.False(string.IsNullOrEmpty(k)));
        Assert.NotEqual(keys[0], keys[1]);
    }

    /// <summary>The fixed start of a text with a placeholder ("Tack! Ditt ärende har nummer {0}. ..." -> "Tack! Ditt ärende har nummer ").</summary>
    private static string Prefix(string format) => format.Split("{0}")[0];

    private static Dictionary<string, JObject> Copy(Dictionary<string, JObject> saved) =>
        saved.ToDictionary(p => p.Key, p => (JObject)p.Value.DeepClone(), StringComparer.Ordinal);

    private static void Restore(Dictionary<string, JObject> saved, Dictionary<string, JObject> earlier)
    {
        saved.Clear();
        foreach (var (key, value) in Copy(earlier))
        {
            saved[key] = value;
        }
    }
}
