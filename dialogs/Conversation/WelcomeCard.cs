using ExportCenter.Dialogs.Cards;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>The welcome card: who the bot is, what it helps with, and a menu.</summary>
public static class WelcomeCard
{
    /// <summary>Builds the welcome card in the given language; with <paramref name="lead"/>, a short menu card led by that line instead.</summary>
    public static AdaptiveCard Build(ConversationLanguage language, string? lead = null, Uri? privacyNotice = null)
    {
        var texts = BotTexts.For(language);
        var card = new AdaptiveCard { Lang = language.ToIsoCode(), Speak = lead ?? texts.WelcomeHeading };
        if (lead is null)
        {
            card.AddText(texts.WelcomeHeading, TextStyle.Heading)
                .AddText(texts.WelcomeIntro)
                .AddText(texts.WelcomeMenuPrompt)
                .AddText(texts.WelcomeFootnote, TextStyle.Subtle);
        }
        else
        {
            card.AddText(lead).AddText(texts.WelcomeMenuPrompt, TextStyle.Subtle);
        }

        if (privacyNotice is not null)
        {
            card.AddOpenUrl(texts.PrivacyLink, privacyNotice);
        }

        foreach (var choice in Enum.GetValues<MenuChoice>())
        {
            card.AddSubmit(choice.Title(texts), new Dictionary<string, string>
            {
                [MenuChoices.ActionKey] = MenuChoices.MenuAction,
                [MenuChoices.ChoiceKey] = choice.ToId(),
            });
        }

        return card;
    }
}
