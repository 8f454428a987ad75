using ExportCenter.Testing;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ExportCenter.Dialogs.Tests.HeldOut;

/// <summary>One held-out dialogue of tests/eval/holdout-dialogues.yaml.</summary>
public sealed class HoldoutDialogue
{
    public string Id { get; set; } = "";

    /// <summary>The language the company writes in (sv, en, nb, da, de, …).</summary>
    public string Lang { get; set; } = "";

    public string Note { get; set; } = "";

    public IList<HoldoutTurn> Turns { get; init; } = [];

    /// <summary>The locale Web Chat would send: Swedish for the Scandinavian languages, English otherwise.</summary>
    public string Locale => Lang is "sv" or "nb" or "nn" or "da" ? "sv-SE" : "en-GB";
}

public sealed class HoldoutTurn
{
    public string Says { get; set; } = "";

    public HoldoutExpectation Expect { get; set; } = new();
}

/// <summary>What a person would expect the bot to do with the turn.</summary>
public sealed class HoldoutExpectation
{
    /// <summary>answer, clarify, handoff, out-of-scope or smalltalk.</summary>
    public string Action { get; set; } = "";

    public string? Topic { get; set; }

    public string? Facet { get; set; }

    public string? Organisation { get; set; }

    public override string ToString() =>
        Action + (Topic is null ? "" : $" topic={Topic}") + (Facet is null ? "" : $" facet={Facet}")
        + (Organisation is null ? "" : $" organisation={Organisation}");

    /// <summary>
    /// Whether what was seen is what a person expects: the action and, where the expectation names them and the reply
    /// shows them, the topic, facet and organisation. An organisation's card shows no topic: the organisation must match.
    /// A handoff shows no topic: the action is enough.
    /// </summary>
    public bool IsMetBy(SeenReply seen)
    {
        ArgumentNullException.ThrowIfNull(seen);
        if (seen.Action != Action)
        {
            return false;
        }

        if (Action != "answer")
        {
            return true;
        }

        if (seen.Organisation is not null)
        {
            return Organisation == seen.Organisation;
        }

        return (Topic is null || Topic == seen.Topic)
            && (Facet is null || Facet == seen.Facet)
            && Organisation is null;
    }
}

public static class HoldoutDialogues
{
    public static string File => Path.Combine(RepositoryPaths.Eval, "holdout-dialogues.yaml");

    public static IReadOnlyList<HoldoutDialogue> Load()
    {
        var yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        var dialogues = yaml.Deserialize<List<HoldoutDialogue>>(System.IO.File.ReadAllText(File));
        if (dialogues is null or [] || dialogues.Exists(d => d.Turns.Count == 0 || d.Turns.Any(t => t.Expect.Action.Length == 0)))
        {
            throw new InvalidDataException($"{File}: a dialogue without turns, or a turn without an expected action.");
        }

        return dialogues;
    }
}
