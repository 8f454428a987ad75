using System.Text;
using ExportCenter.Knowledge.Language;
using ExportCenter.Knowledge.Privacy;

namespace ExportCenter.Bot.Language;

/// <summary>
/// Masks personal data with Azure AI Language's PII recognition (names, addresses, identity numbers and the rest of its
/// categories), then with the local masker (Swedish organisation numbers, which Azure does not know). When Azure fails the
/// call throws, and the caller keeps nothing: unmasked text is never stored.
/// </summary>
public sealed class AzurePiiMasker(AzureLanguageClient client, LocalPiiMasker local) : IPiiMasker
{
    /// <summary>Entities below this confidence are left as they are.</summary>
    public const double MinConfidence = 0.6;

    public async Task<string> MaskAsync(string text, string language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entities = await client.RecognizePiiAsync(text, language is "sv" ? "sv" : "en", cancellationToken);
        var swedish = language == "sv";
        var masked = new StringBuilder(text.Length);
        var at = 0;
        foreach (var entity in entities.Where(e => e.Confidence >= MinConfidence).OrderBy(e => e.Offset))
        {
            if (entity.Offset + entity.Length > text.Length || entity.Length <= 0)
            {
                continue; // Not in this text.
            }

            if (entity.Offset < at)
            {
                // Overlaps the one before: what runs past it is masked with it.
                at = Math.Max(at, entity.Offset + entity.Length);
                continue;
            }

            masked.Append(text, at, entity.Offset - at).Append(Placeholder(entity.Category, swedish));
            at = entity.Offset + entity.Length;
        }

        masked.Append(text, at, text.Length - at);
        return local.Mask(masked.ToString(), language);
    }

    private static string Placeholder(string category, bool swedish) => category switch
    {
        "Email" => swedish ? "[e-post]" : "[email]",
        "PhoneNumber" => swedish ? "[telefon]" : "[phone]",
        "Person" => swedish ? "[namn]" : "[name]",
        "Address" => swedish ? "[adress]" : "[address]",
        "IPAddress" => swedish ? "[ip-adress]" : "[IP address]",
        "URL" => swedish ? "[webbadress]" : "[web address]",
        _ when category.Contains("Identification", StringComparison.Ordinal) || category.Contains("Number", StringComparison.Ordinal) => swedish ? "[nummer]" : "[number]",
        _ => swedish ? "[uppgift]" : "[detail]",
    };
}

/// <summary>
/// Tells a message's language with Azure AI Language, falling back to the local detector when Azure fails or is slow (a
/// turn waits at most <see cref="MaxWait"/> for it, and never fails for it), and for texts without letters. The text
/// sent has its email addresses, phone and organisation numbers masked first (the language does not need them). A turn
/// asks twice for the same message (its language, then the understanding): the last answer is kept for that.
/// </summary>
public sealed partial class AzureLanguageDetector(AzureLanguageClient client, ILanguageDetector fallback, ILogger<AzureLanguageDetector> logger, LocalPiiMasker? masker = null) : ILanguageDetector
{
    /// <summary>The longest a turn waits for Azure's answer, retries included.</summary>
    public static TimeSpan MaxWait { get; set; } = TimeSpan.FromSeconds(2);

    private (string Text, LanguageGuess Guess)? _last;

    public LanguageGuess Detect(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(char.IsLetter))
        {
            return LanguageGuess.None;
        }

        if (_last is { } last && string.Equals(last.Text, text, StringComparison.Ordinal))
        {
            return last.Guess;
        }

        var guess = DetectOnce(text);
        _last = (text, guess);
        return guess;
    }

    private LanguageGuess DetectOnce(string text)
    {
        try
        {
            using var wait = new CancellationTokenSource(MaxWait);
            var (code, confidence) = client.DetectLanguage(masker?.Mask(text, "sv") ?? text, wait.Token);
            if (code is "und" or "(Unknown)" || confidence <= 0)
            {
                return fallback.Detect(text);
            }

            // Azure's Norwegian is "no"; the bot's codes are ISO 639-1 as the local detector gives them.
            var normalised = code == "no" ? "nb" : code;
            return new LanguageGuess(normalised, [new(normalised, confidence), new(LanguageGuess.Undetermined, 1 - confidence)]);
        }
        catch (Exception ex)
        {
            // Whatever went wrong (an answer it could not read, a refusal, retries that ran out, the wait), the local
            // detector answers: a turn never fails because Azure did.
            LogFallback(logger, ex.GetType().Name, (ex as AzureLanguageException)?.Status);
            return fallback.Detect(text);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "Azure AI Language did not tell a language ({Error}, status {Status}); the local detector did.")]
    private static partial void LogFallback(ILogger logger, string error, int? status);
}
