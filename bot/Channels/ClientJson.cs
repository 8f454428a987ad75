using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace ExportCenter.Bot.Channels;

/// <summary>A client's body as read at a channel's edge: its bytes and JSON, or why it was refused.</summary>
public sealed record ClientBody(byte[] Utf8, JsonNode? Json, ActivityRejection? Rejection);

/// <summary>
/// Reads a client's JSON body at a channel's edge, stricter than the JSON libraries behind it: at most
/// <see cref="MaxDepth"/> levels deep, no property named twice in one object, and every string and property
/// name valid Unicode. An escaped lone UTF-16 surrogate (<c>"\ud800"</c>) is valid JSON grammar, but
/// System.Text.Json throws when it reads such a string, wherever that happens to be; Newtonsoft keeps it and
/// hands it on.
/// </summary>
public static class ClientJson
{
    /// <summary>
    /// The deepest nesting accepted. Activities from Web Chat and Teams are a few levels deep; the limit leaves room
    /// under the 64 levels that System.Text.Json and Newtonsoft read by default for the envelopes an activity is
    /// later wrapped in (an ActivitySet is two more, bot state more still).
    /// </summary>
    public const int MaxDepth = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth, AllowDuplicateProperties = false };

    /// <summary>Reads the body, at most <paramref name="maxBytes"/> of it (413 beyond), and parses it when it is not empty.</summary>
    public static async Task<ClientBody> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > maxBytes)
        {
            return new ClientBody([], null, ActivityRejection.TooLarge(maxBytes));
        }

        byte[] utf8;
        if (request.ContentLength is { } length)
        {
            // The usual case: the length is declared (and Kestrel ends the body there), so the body is read into its
            // own array at once. A body that ends early is what arrived.
            utf8 = new byte[length];
            var read = await request.Body.ReadAtLeastAsync(utf8, utf8.Length, throwOnEndOfStream: false, cancellationToken);
            if (read < utf8.Length)
            {
                utf8 = utf8[..read];
            }
        }
        else
        {
            var chunked = await ReadChunkedAsync(request.Body, maxBytes, cancellationToken);
            if (chunked is null)
            {
                return new ClientBody([], null, ActivityRejection.TooLarge(maxBytes));
            }

            utf8 = chunked;
        }

        if (utf8.Length == 0)
        {
            return new ClientBody(utf8, null, null);
        }

        var json = Parse(utf8, out var rejection);
        return new ClientBody(utf8, json, rejection);
    }

    /// <summary>A body of unknown length, up to <paramref name="maxBytes"/>; null when it is longer.</summary>
    private static async Task<byte[]?> ReadChunkedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Parses UTF-8 JSON, or says why it cannot be taken.</summary>
    public static JsonNode? Parse(ReadOnlySpan<byte> utf8, out ActivityRejection? rejection)
    {
        rejection = Check(utf8);
        if (rejection is not null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(utf8, documentOptions: DocumentOptions);
        }
        catch (JsonException)
        {
            // The reader above accepted the grammar, so what is left is a property named twice.
            rejection = ActivityRejection.DuplicateProperty;
            return null;
        }
    }

    /// <summary>One pass over the tokens: the grammar, the depth, and the text of every string and property name.</summary>
    private static ActivityRejection? Check(ReadOnlySpan<byte> utf8)
    {
        // One level more than accepted, so that too deep is told apart from not JSON.
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth + 1 });
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray when reader.CurrentDepth >= MaxDepth:
                        return ActivityRejection.NestedTooDeeply;
                    case JsonTokenType.String or JsonTokenType.PropertyName when !IsValidText(ref reader):
                        return ActivityRejection.InvalidText;
                }
            }

            return null;
        }
        catch (JsonException)
        {
            return ActivityRejection.BadSyntax;
        }
    }

    private static bool IsValidText(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped)
        {
            return Utf8.IsValid(reader.ValueSpan);
        }

        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            // The reader's verdict on an escape that decodes to no valid UTF-16 (a lone surrogate).
            return false;
        }
    }
}
