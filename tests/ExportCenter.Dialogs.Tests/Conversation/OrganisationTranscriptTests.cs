using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>Questions about an organisation itself get its card: what it does, how to reach it. No handoff.</summary>
public sealed class OrganisationTranscriptTests
{
    private static readonly ConversationHost Host = new();

    [Theory]
    [InlineData("sv-SE", "Vad gör EKN?", "ekn")]
    [InlineData("sv-SE", "vad har almi för telefonnummer", "almi")]
    [InlineData("en-GB", "How do I reach the chamber of commerce?", "mellansvenska-handelskammaren")]
    [InlineData("sv-SE", "vem ska jag ringa på Tullverket?", "tullverket")]
    public async Task AnOrganisationQuestion_GetsTheOrganisationsCard_NotTheConsent(string locale, string says, string organisation)
    {
        var replies = await Host.Chat(locale).SayAsync(says);

        var expected = Host.Knowledge.OrganisationsById[organisation];
        var swedish = locale.StartsWith("sv", StringComparison.Ordinal);
        Assert.Contains(swedish ? expected.Name.Sv : expected.Name.En, replies);
        Assert.Contains(swedish ? expected.Summary.Sv : expected.Summary.En, replies);
        Assert.DoesNotContain(replies, r => r == (swedish ? HandoffTexts.Swedish.Consent : HandoffTexts.English.Consent));
    }
}
