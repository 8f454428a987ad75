namespace ExportCenter.Knowledge.Privacy;

/// <summary>
/// Masks the personal data in a text that is kept for insight or shown in a transcript: what identifies a person or a
/// company's contact is replaced by a bracketed word for its kind, in the text's language.
/// </summary>
public interface IPiiMasker
{
    /// <summary>
    /// The text with its personal data masked; <paramref name="language"/> is an ISO 639-1 code ("sv", "en", ...). A masker
    /// that calls a service throws when it cannot mask: the caller then keeps nothing rather than an unmasked text.
    /// </summary>
    Task<string> MaskAsync(string text, string language, CancellationToken cancellationToken);
}
