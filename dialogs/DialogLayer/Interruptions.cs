using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Dialogs.DialogLayer;

/// <summary>What the user can say at any point, also in the middle of a question.</summary>
public enum Interruption
{
    /// <summary>Not an interruption.</summary>
    None,

    /// <summary>help / hjälp</summary>
    Help,

    /// <summary>cancel / avbryt</summary>
    Cancel,

    /// <summary>start over / börja om</summary>
    StartOver,

    /// <summary>talk to a person / prata med en människa</summary>
    Person,

    /// <summary>switch to Swedish (på svenska)</summary>
    Swedish,

    /// <summary>switch to English (in English)</summary>
    English,
}

/// <summary>Recognises the global commands in Swedish and English. Only short messages count, so a question that merely contains "help" is not one.</summary>
public static class Interruptions
{
    private static readonly (Interruption Kind, string[] Phrases)[] Commands =
    [
        (Interruption.Help, ["hjalp", "help", "hjalp mig", "help me", "vad kan jag saga", "what can i say", "meny", "menu", "?"]),
        (Interruption.Cancel, ["avbryt", "cancel", "stopp", "stop", "sluta", "quit", "avsluta"]),
        (Interruption.StartOver, ["borja om", "start over", "restart", "borja om fran borjan", "starta om", "reset"]),
        (Interruption.Person, ["prata med en manniska", "talk to a person", "talk to a human", "manniska", "human", "agent", "radgivare", "advisor", "adviser", "prata med nagon", "talk to someone"]),
        // Only explicit phrases switch the language: a bare "svenska" or "English" can be an answer to a question.
        (Interruption.Swedish, ["pa svenska", "pa svenska tack", "in swedish", "byt till svenska", "switch to swedish"]),
        (Interruption.English, ["in english", "pa engelska", "switch to english", "english please", "byt till engelska"]),
    ];

    /// <summary>The interruption a message is, or <see cref="Interruption.None"/>.</summary>
    public static Interruption Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Interruption.None;
        }

        var folded = text.Trim() == "?" ? "?" : string.Join(' ', TextNormalizer.Tokens(text));
        foreach (var (kind, phrases) in Commands)
        {
            if (phrases.Contains(folded))
            {
                return kind;
            }
        }

        return Interruption.None;
    }
}
