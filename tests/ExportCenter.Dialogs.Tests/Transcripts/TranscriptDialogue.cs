using ExportCenter.Testing;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ExportCenter.Dialogs.Tests.Transcripts;

/// <summary>One dialogue of a transcript file: what the company says, turn by turn, and what the replies must (not) contain.</summary>
public sealed class TranscriptDialogue
{
    /// <summary>Unique within its file; with the file name it names the test case.</summary>
    public string Name { get; set; } = "";

    /// <summary>The locale the company's messages carry, as Web Chat sends the page's language.</summary>
    public string Locale { get; set; } = "sv-SE";

    public IList<TranscriptTurn> Turns { get; init; } = [];
}

/// <summary>One message from the company and what the bot's replies to it must show.</summary>
public sealed class TranscriptTurn
{
    public string Says { get; set; } = "";

    /// <summary>How many activities the turn must produce; null: any number, all are read.</summary>
    public int? Replies { get; set; }

    /// <summary>Each must occur, exactly as written, in some text of the replies.</summary>
    public IList<string> ReplyContains { get; init; } = [];

    /// <summary>None may occur in any text of the replies, whatever the case.</summary>
    public IList<string> ReplyNotContains { get; init; } = [];

    /// <summary>At least one must occur in some text of the replies, whatever the case.</summary>
    public IList<string> ContainsAny { get; init; } = [];

    /// <summary>The locale every message reply of the turn must carry.</summary>
    public string? Locale { get; set; }

    /// <summary>The locales of the turn's message replies, in order.</summary>
    public IList<string> Locales { get; init; } = [];
}

/// <summary>The transcript files next to this type: tests/ExportCenter.Dialogs.Tests/Transcripts/*.yaml.</summary>
public static class TranscriptFiles
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    public static string Folder => Path.Combine(RepositoryPaths.Root, "tests", "ExportCenter.Dialogs.Tests", "Transcripts");

    /// <summary>Every file name, in order.</summary>
    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Folder, "*.yaml").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>The dialogues of one file; a malformed file or dialogue fails with the file and dialogue named.</summary>
    public static IReadOnlyList<TranscriptDialogue> Load(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        List<TranscriptDialogue>? dialogues;
        try
        {
            dialogues = Yaml.Deserialize<List<TranscriptDialogue>>(File.ReadAllText(Path.Combine(Folder, fileName)));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{fileName}, line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e);
        }

        if (dialogues is null or [])
        {
            throw new InvalidDataException($"{fileName} has no dialogues.");
        }

        foreach (var dialogue in dialogues)
        {
            Check(fileName, dialogue, dialogues);
        }

        return dialogues;
    }

    private static void Check(string fileName, TranscriptDialogue dialogue, List<TranscriptDialogue> all)
    {
        if (string.IsNullOrWhiteSpace(dialogue.Name))
        {
            throw new InvalidDataException($"{fileName}: a dialogue has no name.");
        }

        if (all.Count(d => d.Name == dialogue.Name) > 1)
        {
            throw new InvalidDataException($"{fileName}: the name '{dialogue.Name}' is used twice.");
        }

        if (dialogue.Turns.Count == 0)
        {
            throw new InvalidDataException($"{fileName}, '{dialogue.Name}': no turns.");
        }

        for (var i = 0; i < dialogue.Turns.Count; i++)
        {
            var turn = dialogue.Turns[i];
            if (string.IsNullOrWhiteSpace(turn.Says))
            {
                throw new InvalidDataException($"{fileName}, '{dialogue.Name}', turn {i + 1}: 'says' is missing.");
            }

            if (turn.Replies < 0)
            {
                throw new InvalidDataException($"{fileName}, '{dialogue.Name}', turn {i + 1}: 'replies' is negative.");
            }

            if (turn.ReplyContains.Count + turn.ReplyNotContains.Count + turn.ContainsAny.Count == 0 && turn.Replies is null && turn.Locale is null && turn.Locales.Count == 0)
            {
                throw new InvalidDataException($"{fileName}, '{dialogue.Name}', turn {i + 1}: nothing is expected of the reply.");
            }
        }
    }
}
