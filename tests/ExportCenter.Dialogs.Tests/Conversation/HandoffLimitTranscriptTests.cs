using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>When the ticket system reaches a limit on new tickets, the company is told plainly and no ticket is promised.</summary>
public sealed class HandoffLimitTranscriptTests
{
    [Theory]
    [InlineData("sv-SE", new[] { "prata med en människa", "ja", "Testbolaget AB", "hoppa över", "Anna Berg", "anna@testbolaget.se", "Falun", "svenska", "Vi vill exportera till Norge och behöver hjälp." })]
    [InlineData("en-GB", new[] { "talk to a person", "yes", "Test Company AB", "skip", "Anna Berg", "anna@testbolaget.se", "Falun", "English", "We want to export to Norway and need help." })]
    public async Task ALimitReached_GivesThePlainReplyAndTheContacts_AndPromisesNoTicket(string locale, string[] lines)
    {
        var host = new ConversationHost(new FakeTickets { LimitReached = true });
        var chat = host.Chat(locale);
        var texts = locale == "sv-SE" ? HandoffTexts.Swedish : HandoffTexts.English;
        foreach (var line in lines[..^1])
        {
            await chat.SayAsync(line);
        }

        var replies = await chat.SayAsync(lines[^1]);

        Assert.Contains(texts.LimitReached, replies);
        Assert.DoesNotContain(replies, r => r.Contains("EXP-", StringComparison.Ordinal));
        Assert.True(replies.Count > 1, "The organisations' contacts follow the plain reply on the same card.");
        Assert.Empty(host.Tickets.Created);
    }
}
