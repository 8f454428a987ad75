namespace ExportCenter.Knowledge.Entities;

/// <summary>Something recognised in a message.</summary>
/// <param name="Kind">What it is.</param>
/// <param name="Text">The text as the user wrote it.</param>
/// <param name="Start">Index of the first character in the message.</param>
/// <param name="Value">The normalised value (e.g. "556036-0793", "NO", "Borlänge", "1500000 SEK").</param>
/// <param name="Detail">Extra facts (e.g. "EEA" for a country, "legal-entity" for an organisation number).</param>
public sealed record Entity(EntityKind Kind, string Text, int Start, string Value, string? Detail = null);

/// <summary>The kinds of entity the pipeline recognises.</summary>
public enum EntityKind
{
    /// <summary>An email address.</summary>
    Email,

    /// <summary>A phone number.</summary>
    Phone,

    /// <summary>A web address.</summary>
    Url,

    /// <summary>A number.</summary>
    Number,

    /// <summary>An amount of money with its currency.</summary>
    Money,

    /// <summary>A date or time expression.</summary>
    Date,

    /// <summary>A Swedish organisation number (or personal identity number of a sole trader) with a valid check digit.</summary>
    OrganisationNumber,

    /// <summary>A country or market, with its group (EU, EEA, other).</summary>
    Country,

    /// <summary>One of Dalarna's 15 municipalities.</summary>
    Municipality,

    /// <summary>A partner organisation, named by its name or a short form.</summary>
    Organisation,
}
