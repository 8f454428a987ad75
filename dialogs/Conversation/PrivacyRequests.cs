using System.Text.RegularExpressions;
using ExportCenter.Knowledge.Language;

namespace ExportCenter.Dialogs.Conversation;

/// <summary>What a company asks about its data: to see it (access) or to have it erased.</summary>
public enum PrivacyRequestKind
{
    Access,
    Erasure,
}

/// <summary>Where the chat's privacy requests go, for the coordinators to act on; returns the reference the company is told.</summary>
public interface IPrivacyRequests
{
    Task<string> RecordAsync(PrivacyRequestKind kind, string channelId, string conversationId, string language, CancellationToken cancellationToken);
}

/// <summary>
/// Recognises "radera mina uppgifter", "vad sparar ni om mig?", "delete my data", "what do you keep about me?" and their
/// kin, and says in plain words what happens next.
/// </summary>
public static partial class PrivacyRequests
{
    public static PrivacyRequestKind? Detect(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 300)
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        if (ErasureSv().IsMatch(lower) || ErasureEn().IsMatch(lower))
        {
            return PrivacyRequestKind.Erasure;
        }

        return AccessSv().IsMatch(lower) || AccessEn().IsMatch(lower) ? PrivacyRequestKind.Access : null;
    }

    /// <summary>The reply: the request is with the coordinators, under this reference, and what they will do.</summary>
    public static string Reply(PrivacyRequestKind kind, string reference, ConversationLanguage language) => (kind, language == ConversationLanguage.Swedish) switch
    {
        (PrivacyRequestKind.Erasure, true) =>
            $"Vi har tagit emot din begäran om att radera dina uppgifter. Den har nummer {reference}. Exportcentrets samordnare raderar det vi har sparat om dig och ditt företag inom en månad. "
            + "Har du lämnat din e-postadress i ett ärende, får du besked dit. Läs mer under Så hanterar vi dina uppgifter, länken under chatten.",
        (PrivacyRequestKind.Erasure, false) =>
            $"We have received your request to delete your data. Its number is {reference}. The export centre's coordinators will delete what we keep about you and your company within a month. "
            + "If you gave your email address in a case, we will confirm there. Read more under How we handle your data, linked below the chat.",
        (_, true) =>
            $"Vi har tagit emot din fråga om vilka uppgifter vi har sparat om dig. Den har nummer {reference}. Exportcentrets samordnare tar fram uppgifterna och skickar dem till dig inom en månad. "
            + "Har du lämnat din e-postadress i ett ärende, får du svaret dit. Läs mer under Så hanterar vi dina uppgifter, länken under chatten.",
        _ =>
            $"We have received your question about what data we keep about you. Its number is {reference}. The export centre's coordinators will collect the data and send it to you within a month. "
            + "If you gave your email address in a case, we will send it there. Read more under How we handle your data, linked below the chat.",
    };

    [GeneratedRegex(@"\b(radera|raderar|ta bort|tar bort|glöm|glömma)\b[^.?!]{0,30}\b(mina|mig|vår|våra|vårt|oss|företagets)\b[^.?!]{0,25}(uppgifter|data|information)|\bglöm (mig|oss)\b|\b(radera|ta bort) (mig|oss)\b|\brätt(en)? att bli glömd", RegexOptions.CultureInvariant)]
    private static partial Regex ErasureSv();

    [GeneratedRegex(@"\b(delete|erase|remove|forget)\b[^.?!]{0,30}\b(my|our)\b[^.?!]{0,25}\b(data|details|information)\b|\bforget (me|us)\b|\bright to (be forgotten|erasure)\b", RegexOptions.CultureInvariant)]
    private static partial Regex ErasureEn();

    [GeneratedRegex(@"\bvad (sparar|lagrar|har|vet|registrerar) ni\b[^.?!]{0,25}\bom (mig|oss)\b|\bvilka (person)?uppgifter (har|sparar|lagrar) ni\b[^.?!]{0,20}\bom (mig|oss|mitt företag|vårt företag|min firma)\b|\bregisterutdrag\b", RegexOptions.CultureInvariant)]
    private static partial Regex AccessSv();

    [GeneratedRegex(@"\bwhat (personal )?(data |information |details )?(do|did) you (keep|store|have|hold|save)\b[^.?!]{0,25}\b(about|on|of) (me|us|my company|our company)\b|\bsubject access request\b", RegexOptions.CultureInvariant)]
    private static partial Regex AccessEn();
}
