namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>No case is lost to a retry limit: after the last retry the handoff keeps what was given and goes on.</summary>
public sealed class RetryLimitTranscriptTests
{
    [Fact]
    public async Task AnUnknownMunicipality_IsKeptAsWritten_AndTheTicketIsMade()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");

        var replies = new List<string>();
        foreach (var line in new[] { "prata med en människa", "ja", "Testbolaget AB", "hoppa över", "Anna Berg", "anna@testbolaget.se", "Xyzby", "Xyzby", "Xyzby", "svenska", "Vi vill exportera till Norge och behöver hjälp." })
        {
            replies.AddRange(await chat.SayAsync(line));
        }

        var request = Assert.Single(host.Tickets.Created);
        Assert.Equal(("Testbolaget AB", "Xyzby", "anna@testbolaget.se"), (request.Details.Company, request.Details.Municipality, request.Details.Email));
        Assert.Contains(replies, r => r.StartsWith("Tack! Ditt ärende har nummer EXP-TEST-00001", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AContactThatIsNeitherEmailNorPhone_IsKeptAsWritten()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");

        foreach (var line in new[] { "prata med en människa", "ja", "Testbolaget AB", "hoppa över", "Anna Berg", "ring växeln", "ring växeln", "ring växeln och fråga efter Anna", "Falun", "svenska", "Vi vill exportera till Norge och behöver hjälp." })
        {
            await chat.SayAsync(line);
        }

        var request = Assert.Single(host.Tickets.Created);
        Assert.Equal("ring växeln och fråga efter Anna", request.Details.Phone);
    }
}
