namespace ExportCenter.Bot.Privacy;

/// <summary>Whom a privacy command is about: an email address, an organisation number, or one chat conversation.</summary>
public sealed record PrivacySubject(string? Email, string? OrganisationNumber, (string ChannelId, string ConversationId)? Conversation)
{
    /// <summary>What the erasure record names as its key (not the value): email, orgnr or conversation.</summary>
    public string By => Email is not null ? "email" : OrganisationNumber is not null ? "orgnr" : "conversation";

    /// <summary>Reads <c>--email X</c>, <c>--orgnr N</c> or <c>--conversation CHANNEL:ID</c>; null with the problem otherwise.</summary>
    public static PrivacySubject? Parse(IReadOnlyList<string> args, out string? problem)
    {
        problem = null;
        var email = Commands.BotCommands.Option(args, "--email")?.Trim();
        var orgnr = Commands.BotCommands.Option(args, "--orgnr")?.Trim();
        var conversation = Commands.BotCommands.Option(args, "--conversation")?.Trim();
        if (new[] { email, orgnr, conversation }.Count(v => v is not null) != 1)
        {
            problem = "Give exactly one of --email ADDRESS, --orgnr NNNNNN-NNNN or --conversation CHANNEL:ID.";
            return null;
        }

        if (email is not null && (email.Length is < 3 or > 254 || !email.Contains('@', StringComparison.Ordinal)))
        {
            problem = $"'{email}' is not an email address.";
            return null;
        }

        if (orgnr is not null)
        {
            var digits = new string([.. orgnr.Where(char.IsAsciiDigit)]);
            if (digits.Length != 10 || orgnr.Any(c => !char.IsAsciiDigit(c) && c != '-' && c != ' '))
            {
                problem = $"'{orgnr}' is not an organisation number (ten digits, such as 556677-8899).";
                return null;
            }

            orgnr = digits;
        }

        (string, string)? pair = null;
        if (conversation is not null)
        {
            var colon = conversation.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == conversation.Length - 1)
            {
                problem = $"'{conversation}' is not CHANNEL:ID (such as directline:AbC123), as the queue page lists privacy requests.";
                return null;
            }

            pair = (conversation[..colon], conversation[(colon + 1)..]);
        }

        return new PrivacySubject(email?.ToLowerInvariant(), orgnr, pair);
    }
}
