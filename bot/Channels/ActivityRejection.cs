namespace ExportCenter.Bot.Channels;

/// <summary>
/// Why a channel's edge refused a posted activity: the HTTP status, a stable error code and a message. Messages
/// name only the schema's own field names, never text the client sent, so they are safe to answer and to log.
/// </summary>
public sealed record ActivityRejection(string Code, string Message, int Status = StatusCodes.Status400BadRequest)
{
    public static readonly ActivityRejection BadSyntax = new("BadSyntax", "The body is not valid JSON.");

    public static readonly ActivityRejection NotAnActivity = new("BadSyntax", "The body must be a JSON activity object.");

    public static readonly ActivityRejection DuplicateProperty = new("BadSyntax", "An object in the body names the same property twice.");

    public static readonly ActivityRejection NestedTooDeeply = new("NestedTooDeeply", $"The body is nested deeper than {ClientJson.MaxDepth} levels.");

    public static readonly ActivityRejection InvalidText = new("InvalidText", "A string in the body is not valid Unicode (for example a lone UTF-16 surrogate).");

    public static readonly ActivityRejection UnsupportedType = new("UnsupportedActivityType", "Activities of this type cannot be sent here.");

    public static readonly ActivityRejection Unreadable = new("InvalidActivity", "The body does not read as a Bot Framework activity.");

    public static ActivityRejection TooLarge(int maxBytes) =>
        new("MessageSizeTooBig", $"An activity may be at most {maxBytes} bytes.", StatusCodes.Status413PayloadTooLarge);

    public static ActivityRejection Missing(string field) => new("MissingProperty", $"The activity has no '{field}'.");

    public static ActivityRejection WrongType(string field) => new("InvalidFieldType", $"The activity field '{field}' has the wrong JSON type.");

    public static ActivityRejection BadTimestamp(string field) =>
        new("InvalidTimestamp", $"The activity field '{field}' is not an ISO 8601 date and time with a UTC offset.");

    public static ActivityRejection TooLong(string field, int maxLength) =>
        new("ValueTooLong", $"The activity field '{field}' is longer than {maxLength} characters.");

    public static ActivityRejection BadUrl(string field) => new("InvalidUrl", $"The activity field '{field}' is not an absolute http or https URL.");
}
