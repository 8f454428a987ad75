using System.Text;
using System.Text.Json.Nodes;
using ExportCenter.Dialogs.Cards;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.Language;
using ExportCenter.Testing;

namespace ExportCenter.Dialogs.Tests.Cards;

public sealed class WelcomeCardTests
{
    [Theory]
    [InlineData(ConversationLanguage.Swedish)]
    [InlineData(ConversationLanguage.English)]
    public async Task WelcomeCard_IsAValidAdaptiveCard15_WithAMenuOfSubmitButtons(ConversationLanguage language)
    {
        var card = WelcomeCard.Build(language);
        var json = card.ToJsonObject();

        Assert.Empty(await AdaptiveCardValidator.ProblemsAsync(card.ToJson()));
        Assert.Equal("1.5", json["version"]!.GetValue<string>());
        Assert.Equal(language.ToIsoCode(), json["lang"]!.GetValue<string>());
        var actions = json["actions"]!.AsArray();
        Assert.Equal(Enum.GetValues<MenuChoice>().Length, actions.Count);
        Assert.All(actions, a => Assert.Equal("Action.Submit", a!["type"]!.GetValue<string>()));
        Assert.True(Encoding.UTF8.GetByteCount(card.ToJson()) < 28 * 1024);
    }

    [Fact]
    public async Task Validator_ReportsAMisspeltElement()
    {
        var broken = new AdaptiveCard().AddText("Hej").ToJsonObject();
        broken["body"]!.AsArray().Add(new JsonObject { ["type"] = "TextBlok", ["text"] = "typo" });

        Assert.NotEmpty(await AdaptiveCardValidator.ProblemsAsync(broken.ToJsonString()));
    }

    [Fact]
    public void MenuChoices_RoundTripTheirIds()
    {
        foreach (var choice in Enum.GetValues<MenuChoice>())
        {
            Assert.True(MenuChoices.TryParse(choice.ToId(), out var parsed));
            Assert.Equal(choice, parsed);
        }

        Assert.False(MenuChoices.TryParse("no-such-choice", out _));
    }
}
