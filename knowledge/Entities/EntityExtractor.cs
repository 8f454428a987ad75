namespace ExportCenter.Knowledge.Entities;

/// <summary>All recognisers together: the library's (email, phone, URL, numbers, money, dates) and ours.</summary>
public sealed class EntityExtractor(StandardEntityRecognizers standard)
{
    /// <summary>The entities of a message, in text order. Digits that form an organisation number are not also reported as phone or number.</summary>
    public IReadOnlyList<Entity> Extract(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var own = OrganisationNumberRecognizer.Recognize(text)
            .Concat(CountryRecognizer.Recognize(text))
            .Concat(MunicipalityRecognizer.Recognize(text))
            .ToList();
        var orgNumbers = own.Where(e => e.Kind == EntityKind.OrganisationNumber).ToList();
        var library = standard.Recognize(text, language)
            .Where(e => !orgNumbers.Any(o => Overlaps(o, e)) || e.Kind is EntityKind.Email or EntityKind.Url);
        return [.. own.Concat(library).OrderBy(e => e.Start)];
    }

    private static bool Overlaps(Entity a, Entity b) =>
        a.Start < b.Start + b.Text.Length && b.Start < a.Start + a.Text.Length;
}
