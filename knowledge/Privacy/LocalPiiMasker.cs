using System.Text;
using ExportCenter.Knowledge.Entities;

namespace ExportCenter.Knowledge.Privacy;

/// <summary>
/// The masker that runs in the bot's own process, with the entity recognisers it already has: email addresses, phone
/// numbers and Swedish organisation numbers (which, for a sole trader, are a personal identity number). Nothing leaves
/// the process. Names are not recognised; the texts it masks are questions about exporting, where names are rare.
/// </summary>
public sealed class LocalPiiMasker(EntityExtractor entities) : IPiiMasker
{
    public Task<string> MaskAsync(string text, string language, CancellationToken cancellationToken) => Task.FromResult(Mask(text, language));

    /// <summary>The text with email addresses, phone numbers and organisation numbers replaced.</summary>
    public string Mask(string text, string language)
    {
        ArgumentNullException.ThrowIfNull(text);
        // In text order, as the extractor gives them.
        var found = entities.Extract(text, language is "sv" ? "sv" : "en")
            .Where(e => e.Kind is EntityKind.Email or EntityKind.Phone or EntityKind.OrganisationNumber)
            .ToList();
        if (found.Count == 0)
        {
            return text;
        }

        var swedish = language == "sv";
        var masked = new StringBuilder(text.Length);
        var at = 0;
        foreach (var entity in found)
        {
            if (entity.Start < at)
            {
                // Overlaps the one before (a phone number inside an email address, say): already masked.
                continue;
            }

            masked.Append(text, at, entity.Start - at).Append(Placeholder(entity.Kind, swedish));
            at = entity.Start + entity.Text.Length;
        }

        return masked.Append(text, at, text.Length - at).ToString();
    }

    private static string Placeholder(EntityKind kind, bool swedish) => kind switch
    {
        EntityKind.Email => swedish ? "[e-post]" : "[email]",
        EntityKind.Phone => swedish ? "[telefon]" : "[phone]",
        _ => swedish ? "[organisationsnummer]" : "[organisation number]",
    };
}
