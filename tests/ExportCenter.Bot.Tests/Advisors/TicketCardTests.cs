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

    private static string Text(JsonObject card) =>
        card.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static IEnumerable<JsonObject> Actions(JsonObject card) =>
        card["body"]!.AsArray().Where(b => b!["type"]!.GetValue<string>() == "ActionSet")
            .SelectMany(s => s!["actions"]!.AsArray())
            .Select(a => a!["type"]!.GetValue<string>() == "Action.ShowCard" ? a["card"]!["actions"]![0]!.AsObject() : a!.AsObject());
}
