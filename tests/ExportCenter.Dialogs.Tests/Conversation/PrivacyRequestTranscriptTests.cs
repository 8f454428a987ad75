using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>"radera mina uppgifter" and "what do you keep about me?" become a privacy request with a plain answer, not a question for the knowledge base.</summary>
public sealed class PrivacyRequestTranscriptTests
{
    [Theory]
    [InlineData("radera mina uppgifter", PrivacyRequestKind.Erasure)]
    [InlineData("Kan ni ta bort alla mina personuppgifter?", PrivacyRequestKind.Erasure)]
    [InlineData("Jag vill att ni raderar våra uppgifter", PrivacyRequestKind.Erasure)]
    [InlineData("glöm mig", PrivacyRequestKind.Erasure)]
    [InlineData("Please delete my data", PrivacyRequestKind.Erasure)]
    [InlineData("I want to exercise my right to be forgotten", PrivacyRequestKind.Erasure)]
    [InlineData("Vad sparar ni om mig?", PrivacyRequestKind.Access)]
    [InlineData("vilka uppgifter har ni om mitt företag", PrivacyRequestKind.Access)]
    [InlineData("Jag vill ha ett registerutdrag", PrivacyRequestKind.Access)]
    [InlineData("What do you keep about me?", PrivacyRequestKind.Access)]
    [InlineData("what data do you store on us", PrivacyRequestKind.Access)]
    public void PrivacyRequests_AreRecognised(string text, PrivacyRequestKind kind) =>
        Assert.Equal(kind, PrivacyRequests.Detect(text));

    [Theory]
    [InlineData("Hur tar jag bort tullavgiften när jag exporterar till Norge?")]
    [InlineData("Vad vet ni om exportkrediter?")]
    [InlineData("How do I remove the customs hold on my goods?")]
    [InlineData("What do you know about EORI numbers?")]
    [InlineData("Vilka uppgifter behöver jag för ett ursprungsintyg?")]
    [InlineData("What information do you have about EORI numbers?")]
    [InlineData("what data do you have on export markets in Asia?")]
    [InlineData("Vilka uppgifter har ni om exportkrediter?")]
    public void ExportQuestions_AreNotPrivacyRequests(string text) =>
        Assert.Null(PrivacyRequests.Detect(text));

    [Theory]
    [InlineData("sv-SE", "radera mina uppgifter", PrivacyRequestKind.Erasure, "Vi har tagit emot din begäran om att radera dina uppgifter. Den har nummer PR-00001.")]
    [InlineData("en-GB", "What do you keep about me?", PrivacyRequestKind.Access, "We have received your question about what data we keep about you. Its number is PR-00001.")]
    public async Task APrivacyRequest_GetsAPlainAnswerWithItsNumber_AndReachesTheCoordinators(string locale, string text, PrivacyRequestKind kind, string start)
    {
        var host = new ConversationHost();
        var chat = host.Chat(locale);
        var replies = await chat.SayAsync(text);

        Assert.StartsWith(start, Assert.Single(replies), StringComparison.Ordinal);
        var request = Assert.Single(host.Privacy.Recorded);
        Assert.Equal(kind, request.Kind);
        Assert.Equal(locale[..2], request.Language);
        Assert.Equal("privacy", Assert.Single(host.Records.Records).Action);
        Assert.Empty(host.Records.Unanswered);
    }
}
