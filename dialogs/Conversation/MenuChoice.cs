namespace ExportCenter.Dialogs.Conversation;

/// <summary>The entries of the welcome menu. The id travels in the card button's data.</summary>
public enum MenuChoice
{
    /// <summary>First steps towards exporting.</summary>
    GettingStarted,

    /// <summary>Loans, guarantees and payment risk.</summary>
    Finance,

    /// <summary>Customs, VAT and export documents.</summary>
    CustomsAndVat,

    /// <summary>The company wants a person.</summary>
    Advisor,
}

/// <summary>Ids and titles of <see cref="MenuChoice"/> values.</summary>
public static class MenuChoices
{
    /// <summary>The key under which a card button's data names its action.</summary>
    public const string ActionKey = "action";

    /// <summary>The action value of a welcome-menu button.</summary>
    public const string MenuAction = "menu";

    /// <summary>The key under which a menu button's data names its choice.</summary>
    public const string ChoiceKey = "choice";

    private static readonly Dictionary<MenuChoice, string> Ids = new()
    {
        [MenuChoice.GettingStarted] = "getting-started",
        [MenuChoice.Finance] = "finance",
        [MenuChoice.CustomsAndVat] = "customs-vat",
        [MenuChoice.Advisor] = "advisor",
    };

    private static readonly Dictionary<MenuChoice, string> Topics = new()
    {
        [MenuChoice.GettingStarted] = "export-start",
        [MenuChoice.Finance] = "export-finance",
        [MenuChoice.CustomsAndVat] = "customs-eori",
        [MenuChoice.Advisor] = "who-to-contact",
    };

    /// <summary>The stable id of a choice, as sent in card data.</summary>
    public static string ToId(this MenuChoice choice) => Ids[choice];

    /// <summary>The knowledge-base topic a choice answers; the advisor entry's is the one about whom to contact.</summary>
    public static string TopicId(this MenuChoice choice) => Topics[choice];

    /// <summary>Finds the choice with the given id.</summary>
    public static bool TryParse(string? id, out MenuChoice choice)
    {
        foreach (var (key, value) in Ids)
        {
            if (string.Equals(value, id, StringComparison.Ordinal))
            {
                choice = key;
                return true;
            }
        }

        choice = default;
        return false;
    }

    /// <summary>The button title of a choice.</summary>
    public static string Title(this MenuChoice choice, BotTexts texts) => choice switch
    {
        MenuChoice.GettingStarted => texts.MenuGettingStarted,
        MenuChoice.Finance => texts.MenuFinance,
        MenuChoice.CustomsAndVat => texts.MenuCustomsAndVat,
        MenuChoice.Advisor => texts.MenuAdvisor,
        _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, "Unknown menu choice."),
    };
}
