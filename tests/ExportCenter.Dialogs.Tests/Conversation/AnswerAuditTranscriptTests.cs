namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>
/// Every decision on a company message goes to the answer audit without the message; what the bot could not answer goes
/// to the unanswered questions (the bot's store masks it).
/// </summary>
public sealed class AnswerAuditTranscriptTests
{
    [Fact]
    public async Task AnAnswer_IsRecordedWithItsTopicScoresAndHowItWasChosen_AndNoText()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");
        await chat.SayAsync("Hur skaffar jag ett EORI-nummer?");

        var record = Assert.Single(host.Records.Records);
        Assert.Equal(("answer", "classifier", "customs-eori", "sv"), (record.Action, record.Decision, record.TopicId, record.Language));
        Assert.InRange(record.Confidence!.Value, 0.35f, 1f);
        Assert.NotNull(record.SecondTopicId);
        Assert.True(record.SecondScore < record.Confidence);
        Assert.Empty(host.Records.Unanswered);
    }

    [Fact]
    public async Task AFollowUpOnTheTopic_IsRecordedAsChosenFromContext()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");
        await chat.SayAsync("Hur skaffar jag ett EORI-nummer?");
        await chat.SayAsync("vad kostar det?");

        var records = host.Records.Records.ToList();
        Assert.Equal(2, records.Count);
        Assert.Equal(("answer", "context", "customs-eori", "cost"), (records[1].Action, records[1].Decision, records[1].TopicId, records[1].Facet));
    }

    [Fact]
    public async Task AQuestionOutOfScope_IsKeptAsUnanswered_WithTheConversationToEraseItBy()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");
        await chat.SayAsync("Vilken fotbollsklubb vann allsvenskan förra året?");

        var question = Assert.Single(host.Records.Unanswered);
        Assert.Equal(("out_of_scope", "Vilken fotbollsklubb vann allsvenskan förra året?", "sv"), (question.Reason, question.Text, question.Language));
        Assert.False(string.IsNullOrEmpty(question.ConversationId));
        Assert.Equal("out_of_scope", Assert.Single(host.Records.Records).Action);
    }

    [Fact]
    public async Task NoToDidThisHelp_KeepsTheQuestionThatWasAnswered_AndRecordsTheHandoff()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");
        await chat.SayAsync("Hur skaffar jag ett EORI-nummer?");
        await chat.SayAsync("nej");

        var question = Assert.Single(host.Records.Unanswered);
        Assert.Equal(("not_helped", "customs-eori", "Hur skaffar jag ett EORI-nummer?"), (question.Reason, question.TopicId, question.Text));
        Assert.Equal(("handoff", "person"), (host.Records.Records.Last().Action, host.Records.Records.Last().Decision));
    }
}
