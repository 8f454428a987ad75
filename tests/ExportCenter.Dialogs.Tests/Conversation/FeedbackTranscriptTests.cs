namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>"Did this help?" is kept per answer: the topic and yes or no, never what the company wrote.</summary>
public sealed class FeedbackTranscriptTests
{
    [Theory]
    [InlineData("ja", true)]
    [InlineData("nej", false)]
    public async Task TheAnswerToDidThisHelp_IsKeptWithItsTopic(string answer, bool helped)
    {
        var host = new ConversationHost();
        await host.Flow("sv-SE")
            .Send("Hur skaffar jag ett EORI-nummer?")
            .AssertReply(_ => { })
            .Send(answer)
            .AssertReply(_ => { })
            .StartTestAsync();

        var kept = Assert.Single(host.Feedback.Recorded);
        Assert.Equal(("customs-eori", (string?)null, helped, "sv"), (kept.TopicId, kept.Facet, kept.Helped, kept.Language));
    }

    [Fact]
    public async Task AYesOrNoWithoutAnAnswerBefore_KeepsNothing()
    {
        var host = new ConversationHost();
        await host.Flow("sv-SE")
            .Send("ja")
            .AssertReply(_ => { })
            .StartTestAsync();

        Assert.Empty(host.Feedback.Recorded);
    }
}
