using ExportCenter.Knowledge.Understanding;

namespace ExportCenter.Knowledge.Entities;

/// <summary>Dalarna's 15 municipalities, found with or without å/ä/ö and in their common forms ("Falu kommun").</summary>
public static class MunicipalityRecognizer
{
    /// <summary>The 15 municipalities by their official names.</summary>
    public static IReadOnlyList<string> Municipalities { get; } =
    [
        "Avesta", "Borlänge", "Falun", "Gagnef", "Hedemora", "Leksand", "Ludvika", "Malung-Sälen",
        "Mora", "Orsa", "Rättvik", "Smedjebacken", "Säter", "Vansbro", "Älvdalen",
    ];

    // Folded token sequences that name a municipality, including common variants.
    private static readonly (string[] Tokens, string Name)[] Forms =
    [
        .. Municipalities.Select(m => (TextNormalizer.Tokens(m), m)),
        (["falu"], "Falun"),
        (["malung"], "Malung-Sälen"),
        (["salen"], "Malung-Sälen"),
        (["malung", "salen"], "Malung-Sälen"),
        (["borlange", "kommun"], "Borlänge"),
    ];

    private static readonly TokenMatcher.PhraseIndex Index = new(Forms.Select(f => (f.Tokens, f.Name)));

    /// <summary>Finds the municipalities named in a text.</summary>
    public static IEnumerable<Entity> Recognize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TokenMatcher.Longest(Index.Match(text)
            .Select(m => new Entity(EntityKind.Municipality, m.Text, m.Start, m.Value, "Dalarna")));
    }
}
