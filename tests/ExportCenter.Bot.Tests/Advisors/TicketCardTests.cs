using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Tickets;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Testing;

namespace ExportCenter.Bot.Tests.Advisors;

public sealed class TicketCardTests
{
    private static readonly KnowledgeBase Knowledge =
        KnowledgeBaseLoader.Load(RepositoryPaths.KnowledgeData, new DateOnly(2026, 11, 25), TimeSpan.FromDays(365)).KnowledgeBase;

    private static readonly TimeZoneInfo Stockholm = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 13, 0, 0, TimeSpan.Zero);

    public static Ticket LargestTicket(TicketStatus status = TicketStatus.Open) => new()
    {
        Number = "EXP-2026-00042",
        Status = status,
        CreatedAt = Now,
        DueAt = Now.AddDays(3),
        TopicId = "export-finance",
        SuggestedOrganisationId = "almi",
        Language = "sv",
        Confidence = 0.83f,
        CompanyName = new string('Å', 200),
        OrganisationNumber = "556036-0793",
        ContactPerson = new string('Ö', 200),
        Email = new string('e', 240) + "@example.se",
        Phone = "+46 70 123 45 67",
        Municipality = "Ludvika",
        PreferredLanguage = "sv",
        // Far longer than the card shows: the card clips, so the size stays bounded whatever the company wrote.
        Summary = string.Concat(Enumerable.Repeat("Vi vill sälja gjutgods till Kanada men banken säger nej. \"Citat\" <b>och</b> tecken. ", 200)),
        TranscriptExcerpt = string.Concat(Enumerable.Repeat("Företaget: hur gör vi med tullen och momsen?\nBoten: Det här vet Tullverket mest om.\n", 300)),
        ChannelId = "directline",
        ConversationId = "c1",
        ConversationReference = "{}",
        ClaimedAt = status == TicketStatus.Open ? null : Now,
        ResolvedAt = status == TicketStatus.Resolved ? Now : null,
        Outcome = status == TicketStatus.Resolved ? TicketOutcome.Referred : null,
    };

    private static IReadOnlyList<TicketHistoryLine> LongHistory() =>
        [.. Enumerable.Range(0, 40).Select(i => new TicketHistoryLine(Now.AddMinutes(i), i % 2 == 0 ? TicketAction.Claimed : TicketAction.Reassigned, new string('A', 200), "almi", "een"))];

    [Theory]
    [InlineData(ActionStyle.Execute, TicketStatus.Open)]
    [InlineData(ActionStyle.Submit, TicketStatus.Open)]
    [InlineData(ActionStyle.Execute, TicketStatus.Claimed)]
    [InlineData(ActionStyle.Submit, TicketStatus.Resolved)]
    public async Task TheLargestPossibleCard_IsValidAdaptiveCard15_Under28KB(ActionStyle style, TicketStatus status)
    {
        var json = TicketCard.Render(LargestTicket(status), LongHistory(), Knowledge, Stockholm, Now, style).ToJsonString();

        Assert.Equal("1.5", JsonNode.Parse(json)!["version"]!.GetValue<string>());
        Assert.True(Encoding.UTF8.GetByteCount(json) < 28 * 1024, $"{Encoding.UTF8.GetByteCount(json)} bytes");
        Measurements.Record($"largest ticket card ({style}, {status}): {Encoding.UTF8.GetByteCount(json)} bytes UTF-8, {json.Length * 2} bytes UTF-16");
        var problems = await AdaptiveCardValidator.ProblemsAsync(json);
        Assert.True(problems.Count == 0, problems.ToJsonString());
    }

    [Fact]
    public void TeamsCard_UsesActionExecute_WithAnActionSubmitFallback_CarryingTheSameVerbAndTicket()
    {
        var card = TicketCard.Render(LargestTicket(), [], Knowledge, Stockholm, Now, ActionStyle.Execute);

        var actions = Actions(card).ToList();
        Assert.Equal(["claim", "reassign", "resolve", "reply"], actions.Select(a => a["verb"]!.GetValue<string>()));
        Assert.All(actions, a =>
        {
            Assert.Equal("Action.Execute", a["type"]!.GetValue<string>());
            Assert.Equal("Action.Submit", a["fallback"]!["type"]!.GetValue<string>());
            Assert.Equal(a["verb"]!.GetValue<string>(), a["fallback"]!["data"]!["verb"]!.GetValue<string>());
            Assert.Equal("EXP-2026-00042", a["fallback"]!["data"]!["ticket"]!.GetValue<string>());
        });
    }

    [Fact]
    public void WebCard_UsesActionSubmitOnly()
    {
        var json = TicketCard.Render(LargestTicket(), [], Knowledge, Stockholm, Now, ActionStyle.Submit).ToJsonString();

        Assert.DoesNotContain("Action.Execute", json, StringComparison.Ordinal);
        Assert.Contains("\"verb\":\"claim\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Card_ShowsNumberDeadlineTimeLeftContactTopicAndOrganisation()
    {
        var ticket = LargestTicket();
        ticket.CompanyName = "Ludvika Gjuteri AB";
        ticket.DueAt = Now.AddHours(23).AddMinutes(10);

        var text = Text(TicketCard.Render(ticket, [], Knowledge, Stockholm, Now, ActionStyle.Submit));

        Assert.Contains("EXP-2026-00042", text, StringComparison.Ordinal);
        Assert.Contains("28 nov", text, StringComparison.Ordinal);
        Assert.Contains("13:10", text, StringComparison.Ordinal);
        Assert.Contains("23 h 10 min kvar", text, StringComparison.Ordinal);
        Assert.Contains("Ludvika Gjuteri AB", text, StringComparison.Ordinal);
        Assert.Contains(Knowledge.OrganisationsById["almi"].Name.Sv, text, StringComparison.Ordinal);
        Assert.Contains(Knowledge.TopicsById["export-finance"].Title.Sv, text, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvedCard_HasNoActions_AndSaysWhoClosedIt()
    {
        var history = new List<TicketHistoryLine> { new(Now, TicketAction.Resolved, "Anna", "almi", "referred") };

        var card = TicketCard.Render(LargestTicket(TicketStatus.Resolved), history, Knowledge, Stockholm, Now, ActionStyle.Execute);

        Assert.Empty(Actions(card));
        Assert.Contains($"Anna ({Knowledge.OrganisationsById["almi"].Name.Sv})", Text(card), StringComparison.Ordinal);
    }

    /// <summary>What companies could write to turn the bot's card against the advisors: links, images, formatting, web addresses.</summary>
    public static Ticket HostileTicket()
    {
        var ticket = LargestTicket();
        ticket.CompanyName = "[invoice.pdf](https://evil.example/invoice) AB";
        ticket.OrganisationNumber = "# 556036-0793";
        ticket.ContactPerson = "**Anna** _Berg_ `kod` ~~x~~ <b>fet</b>";
        ticket.Email = "https://evil.example/login";
        ticket.Phone = "![bild](https://evil.example/pixel.png)";
        ticket.Municipality = "www.evil.example";
        ticket.Summary = string.Join('\n',
            "# Brådskande",
            "- betala till https://evil.example/pay eller evil.com/pay",
            "+ eller t.co/x",
            "1. steg ett",
            "    indragen kod",
            "| a | b |",
            "|---|---|",
            "Rubrik",
            "===",
            "<img src=x onerror=alert(1)> [ref]: https://evil.example",
            "<https://evil.example/auto> //evil.example/path http://localhost:8080/x",
            "mailto:anna@evil.example och vi säljer t.ex. bl.a. trä för 2.5 miljoner kr (c) -- ...");
        ticket.TranscriptExcerpt = "> Hej!\n> [klicka här](javascript:alert(1))\n> \\slutar med snedstreck\\";
        return ticket;
    }

    [Theory]
    [InlineData(ActionStyle.Execute)]
    [InlineData(ActionStyle.Submit)]
    public async Task CompanyText_WithMarkdownAndWebAddresses_ShowsAsWritten_WithNoLinkOrFormatting(ActionStyle style)
    {
        var ticket = HostileTicket();
        var json = TicketCard.Render(ticket, [], Knowledge, Stockholm, Now, style).ToJsonString();

        var problems = await AdaptiveCardValidator.ProblemsAsync(json);
        Assert.True(problems.Count == 0, problems.ToJsonString());
        var shown = await ShownTextsAsync(JsonNode.Parse(json)!.AsObject());
        foreach (var written in new[] { ticket.CompanyName, ticket.OrganisationNumber, ticket.ContactPerson, ticket.Email, ticket.Phone, ticket.Municipality, ticket.Summary, ticket.TranscriptExcerpt })
        {
            var (elements, text) = Assert.Single(shown, s => Unbroken(s.Text) == AsShown(written!));
            Assert.True(elements.All(e => e is "p" or "br"), $"'{written}' rendered with <{string.Join("> <", elements)}>");
        }
    }

    [Fact]
    public async Task CompanyText_BreaksWebAddresses_SoNoRendererLinksThem()
    {
        var ticket = HostileTicket();
        ticket.Summary = "https://evil.example/pay www.evil.example evil.com t.co/x //evil.example http://localhost:8080";

        var summary = TextBlocks(TicketCard.Render(ticket, [], Knowledge, Stockholm, Now, ActionStyle.Execute)).Single(t => t.Contains("evil", StringComparison.Ordinal) && t.Contains("localhost", StringComparison.Ordinal));
        var text = WebChatMarkdown.VisibleText((await WebChatMarkdown.RenderAsync([summary]))[0]);

        // Whatever a renderer does with backslashes, no web address survives whole in what it shows.
        Assert.Equal("https[://]evil[.]example/pay www[.]evil[.]example evil[.]com t[.]co/x [//]evil[.]example http[://]localhost:8080", text);
    }

    [Fact]
    public async Task TheLargestHostileCard_IsStillUnder28KB()
    {
        var ticket = LargestTicket();
        ticket.CompanyName = string.Concat(Enumerable.Repeat("//", 100));
        ticket.ContactPerson = ticket.CompanyName;
        ticket.Email = string.Concat(Enumerable.Repeat("//", 127));
        ticket.Summary = string.Concat(Enumerable.Repeat("a.co//*_[]\\ ////", 400));
        ticket.TranscriptExcerpt = ticket.Summary + ticket.Summary;

        var json = TicketCard.Render(ticket, LongHistory(), Knowledge, Stockholm, Now, ActionStyle.Execute).ToJsonString();

        Assert.True(Encoding.UTF8.GetByteCount(json) < 28 * 1024, $"{Encoding.UTF8.GetByteCount(json)} bytes");
        var problems = await AdaptiveCardValidator.ProblemsAsync(json);
        Assert.True(problems.Count == 0, problems.ToJsonString());
    }

    /// <summary>Every text block and fact value of the card, as Web Chat renders it: its elements and visible text.</summary>
    private static async Task<List<(IReadOnlyList<string> Elements, string Text)>> ShownTextsAsync(JsonObject card)
    {
        var markdown = TextBlocks(card).ToList();
        var html = await WebChatMarkdown.RenderAsync(markdown);
        return [.. html.Select(h => (WebChatMarkdown.Elements(h), WebChatMarkdown.VisibleText(h)))];
    }

    private static IEnumerable<string> TextBlocks(JsonObject card) =>
        card["body"]!.AsArray().SelectMany(b => b!["type"]!.GetValue<string>() switch
        {
            "TextBlock" => [b["text"]!.GetValue<string>()],
            "FactSet" => b["facts"]!.AsArray().Select(f => f!["value"]!.GetValue<string>()),
            _ => [],
        });

    /// <summary>A company's text as the card shows it: each line without the indentation that would make it code.</summary>
    private static string AsShown(string written) => string.Join('\n', written.Split('\n').Select(l => l.TrimStart()));

    /// <summary>Shown text with the broken web addresses put back together.</summary>
    private static string Unbroken(string shown) =>
        shown.Replace("[://]", "://", StringComparison.Ordinal).Replace("[//]", "//", StringComparison.Ordinal).Replace("[.]", ".", StringComparison.Ordinal);

    private static string Text(JsonObject card) =>
        card.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static IEnumerable<JsonObject> Actions(JsonObject card) =>
        card["body"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "ActionSet")
            .SelectMany(s => s!["actions"]!.AsArray())
            .Select(a => a!["type"]!.GetValue<string>() == "Action.ShowCard" ? a["card"]!["actions"]![0]!.AsObject() : a!.AsObject());
}
