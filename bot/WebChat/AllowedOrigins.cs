namespace ExportCenter.Bot.WebChat;

/// <summary>Which web origins may use the chat: this host itself and the configured embedding sites.</summary>
public static class AllowedOrigins
{
    /// <summary>True when the request has no Origin, comes from this host, or from an allowed origin.</summary>
    public static bool IsAllowed(HttpRequest request, IReadOnlyCollection<string> allowed)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return true;
        }

        var self = $"{request.Scheme}://{request.Host}";
        return string.Equals(origin, self, StringComparison.OrdinalIgnoreCase)
            || allowed.Any(a => string.Equals(a.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));
    }
}
