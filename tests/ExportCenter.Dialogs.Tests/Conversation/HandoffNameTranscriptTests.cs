using ExportCenter.Dialogs.Conversation;

namespace ExportCenter.Dialogs.Tests.Conversation;

/// <summary>
/// A company or contact name that looks like a link or an address is not taken in the handoff: the question is
/// asked again with its hint, and no ticket carries it.
/// </summary>
public sealed class HandoffNameTranscriptTests
{
    [Theory]
    [InlineData("sv-SE", "https://evil.example/vinst")]
    [InlineData("sv-SE", "www.evil.se")]
    [InlineData("sv-SE", "Besök evil.example idag")]
    [InlineData("sv-SE", "info@evil.example")]
    [InlineData("en-GB", "Click http://evil.example now")]
    [InlineData("en-GB", "evil.example")]
    public async Task ALinkLookingCompanyName_IsRefused_WithTheHint(string locale, string name)
    {
        var host = new ConversationHost();
        var chat = host.Chat(locale);
        var texts = locale == "sv-SE" ? HandoffTexts.Swedish : HandoffTexts.English;
        await chat.SayAsync(locale == "sv-SE" ? "prata med en människa" : "talk to a person");
        Assert.Equal([texts.Company], await chat.SayAsync(locale == "sv-SE" ? "ja" : "yes"));

        var reply = Assert.Single(await chat.SayAsync(name));

        Assert.StartsWith(texts.CompanyHint, reply, StringComparison.Ordinal);
        Assert.EndsWith(texts.Company, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALinkLookingName_IsRefused_WhenTheOfferedCompanyNameIsCorrected()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");
        await chat.SayAsync("Vi på Dalaträ Snickeri AB vill sälja köksluckor till Norge. Hur gör vi med tullen?");
        await chat.SayAsync("kan någon ringa mig?");
        Assert.Equal(["Gäller det Dalaträ Snickeri AB? Svara ja, eller skriv företagets namn."], await chat.SayAsync("ja"));

        var reply = Assert.Single(await chat.SayAsync("Vinn pengar på www.evil.example"));

        Assert.StartsWith(HandoffTexts.Swedish.CompanyHint, reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sv-SE", "Anna på https://evil.example")]
    [InlineData("sv-SE", "anna@evil.example")]
    [InlineData("en-GB", "John from evil.example")]
    public async Task ALinkLookingContactPerson_IsRefused_WithTheHint(string locale, string name)
    {
        var host = new ConversationHost();
        var chat = host.Chat(locale);
        var texts = locale == "sv-SE" ? HandoffTexts.Swedish : HandoffTexts.English;
        foreach (var line in locale == "sv-SE" ? new[] { "prata med en människa", "ja", "Testbolaget AB" } : ["talk to a person", "yes", "Test Company AB"])
        {
            await chat.SayAsync(line);
        }

        Assert.Equal([texts.ContactPerson], await chat.SayAsync(locale == "sv-SE" ? "hoppa över" : "skip"));

        var reply = Assert.Single(await chat.SayAsync(name));

        Assert.StartsWith(texts.ContactPersonHint, reply, StringComparison.Ordinal);
        Assert.EndsWith(texts.ContactPerson, reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NamesWithDotsThatAreNotAddresses_AreTaken_AndTheTicketIsMade()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");
        foreach (var line in new[] { "prata med en människa", "ja", "E.ON Sverige AB", "hoppa över", "Anna-Karin J. Berg", "anna@testbolaget.se", "Falun", "svenska", "Vi vill exportera till Norge och behöver hjälp." })
        {
            await chat.SayAsync(line);
        }

        var request = Assert.Single(host.Tickets.Created);
        Assert.Equal(("E.ON Sverige AB", "Anna-Karin J. Berg"), (request.Details.Company, request.Details.ContactPerson));
    }

    [Fact]
    public async Task AfterTheRetries_ALinkLookingCompanyName_MakesNoTicket()
    {
        var host = new ConversationHost();
        var chat = host.Chat("sv-SE");
        foreach (var line in new[] { "prata med en människa", "ja", "evil.example", "evil.example", "evil.example" })
        {
            await chat.SayAsync(line);
        }

        foreach (var line in new[] { "hoppa över", "Anna Berg", "anna@testbolaget.se", "Falun", "svenska", "Vi vill exportera till Norge och behöver hjälp." })
        {
            await chat.SayAsync(line);
        }

        Assert.Empty(host.Tickets.Created);
    }
}
