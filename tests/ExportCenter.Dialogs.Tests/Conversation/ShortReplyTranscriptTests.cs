using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>Replies that fit the moment: short ones for thanks, goodbye, "are you a bot?" and emoji; the menu only with a greeting.</summary>
public sealed class ShortReplyTranscriptTests
{
    private static readonly ConversationHost Host = new();

    [Theory]
    [InlineData("sv-SE", "Tack!", "Varsågod!")]
    [InlineData("sv-SE", "hej då", "Hej då, och lycka till med exporten!")]
    [InlineData("en-GB", "thank you so much", "You are welcome!")]
    [InlineData("sv-SE", "är du en bot?", "Ja, jag är en bot")]
    [InlineData("en-GB", "are you a robot?", "Yes, I am a bot")]
    [InlineData("sv-SE", "👍", "🙂 Skriv gärna din exportfråga")]
    public async Task ShortMessages_GetShortReplies_NotTheMenu(string locale, string says, string expected)
    {
        var replies = await Host.Chat(locale).SayAsync(says);

        Assert.Contains(replies, r => r.StartsWith(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(replies, r => r == BotTexts.For(locale.StartsWith("sv", StringComparison.Ordinal) ? Knowledge.Language.ConversationLanguage.Swedish : Knowledge.Language.ConversationLanguage.English).WelcomeMenuPrompt);
    }

    [Fact]
    public async Task AGreeting_GetsTheMenu()
    {
        var replies = await Host.Chat("sv-SE").SayAsync("hej hej");

        Assert.Contains(BotTexts.Swedish.SmalltalkReply, replies);
    }

    [Theory]
    [InlineData("Hur gör vi när vi ska anställa vår första säljare?", "Arbetsförmedlingen")]
    [InlineData("När ska årsredovisningen vara inne?", "Bolagsverket")]
    public async Task BusinessQuestionsOutsideExport_ArePointedToThePublicService(string says, string service)
    {
        var replies = await Host.Chat("sv-SE").SayAsync(says);

        Assert.Contains(replies, r => r.Contains(service, StringComparison.Ordinal) && r.StartsWith(BotTexts.Swedish.OutOfScopeReply, StringComparison.Ordinal));
    }
}
