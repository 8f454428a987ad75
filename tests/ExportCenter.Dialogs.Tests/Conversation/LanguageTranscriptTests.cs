using ExportCenter.Dialogs.Tests.Cards;
using ExportCenter.Dialogs.Conversation;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>
/// The conversation answers in the writer's language: Swedish for Swedish, Norwegian and Danish writers;
/// English, with one sentence in their own language, for the others. A one-word answer never switches it,
/// and the page's locale is only where it starts.
/// </summary>
public sealed class LanguageTranscriptTests
{
    private static readonly ConversationHost Host = new();

    [Fact]
    public async Task AGermanWriter_GetsEnglish_AndOnceASentenceInGerman()
    {
        var replies = new List<IActivity>();
        await Host.Flow("sv-SE")
            .Send("Wie bekommen wir eine EORI-Nummer für den Export?")
            .AssertReply(a => replies.Add(a))
            .AssertReply(a => replies.Add(a))
            .Send("Und was kostet die Zollanmeldung bei einem Spediteur?")
            .AssertReply(a => replies.Add(a))
            .StartTestAsync();

        var notice = replies[0];
        Assert.Equal("de", notice.AsMessageActivity().Locale);
        var card = CardJson.First(notice);
        Assert.Equal("de", card["lang"]!.Value<string>());
        Assert.Contains("Englisch oder Schwedisch", card.ToString(), StringComparison.Ordinal);
        Assert.Equal("en-GB", replies[1].AsMessageActivity().Locale);
        Assert.Equal("en-GB", replies[2].AsMessageActivity().Locale);
        Assert.DoesNotContain(replies.Skip(1), r => r.AsMessageActivity().Attachments?.Any(x => x.Content.ToString()!.Contains("Schwedisch", StringComparison.Ordinal)) == true);
    }

    [Fact]
    public async Task AnArabicWriter_GetsTheSentenceRightToLeft()
    {
        IActivity? notice = null;
        await Host.Flow("sv-SE")
            .Send("كيف نحصل على رقم EORI للتصدير؟")
            .AssertReply(a => notice = a)
            .StartTestAsync();

        var card = CardJson.First(notice!);
        Assert.Equal(("ar", true), (card["lang"]!.Value<string>(), card["rtl"]!.Value<bool>()));
    }

    [Fact]
    public async Task ANorwegianWriter_IsAnsweredInSwedish_WithoutTheSentence()
    {
        IActivity? reply = null;
        await Host.Flow("en-GB")
            .Send("Hvordan får vi et EORI-nummer når vi skal eksportere varer?")
            .AssertReply(a => reply = a)
            .StartTestAsync();

        Assert.Equal("sv-SE", reply!.AsMessageActivity().Locale);
        Assert.DoesNotContain("Englisch", reply.AsMessageActivity().Attachments?.FirstOrDefault()?.Content?.ToString() ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AOneWordAnswer_DoesNotSwitchTheLanguage()
    {
        var locales = new List<string?>();
        await Host.Flow("sv-SE")
            .Send("How do we get an EORI number for exporting?")
            .AssertReply(a => locales.Add(a.AsMessageActivity().Locale))
            .Send("Ja")
            .AssertReply(a => locales.Add(a.AsMessageActivity().Locale))
            .StartTestAsync();

        Assert.Equal(["en-GB", "en-GB"], locales);
    }
}

/// <summary>A company writing German can hand over to an advisor: the handoff runs in English and the ticket says so.</summary>
public sealed class OtherLanguageHandoffTests
{
    [Fact]
    public async Task AGermanWriter_GetsTheHandoffInEnglish_AndATicket()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");

        var first = await chat.SayAsync("Können wir bitte mit einem Menschen sprechen? Es geht um den Zoll für Norwegen.");
        Assert.Contains(first, t => t.StartsWith("I can ask an advisor to contact you", StringComparison.Ordinal));
        foreach (var line in new[] { "yes", "Holzbau Dalarna AB", "skip", "Jonas Weber", "jonas@holzbau.example", "Falun", "English" })
        {
            await chat.SayAsync(line);
        }

        var last = await chat.SayAsync("We need help with the customs declaration for Norway.");
        var request = Assert.Single(host.Tickets.Created);
        Assert.Equal(("en", "Holzbau Dalarna AB", "Falun"), (request.ConversationLanguage, request.Details.Company, request.Details.Municipality));
        Assert.Contains(last, t => t.StartsWith("Thank you! Your case number is EXP-TEST-00001", StringComparison.Ordinal));
    }
}
