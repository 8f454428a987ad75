using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ExportCenter.Bot.Commands;

/// <summary>
/// The Teams app package: a zip with manifest.json, color.png and outline.png at its root. The three files live in
/// Commands/TeamsPackage/ and ship as embedded resources, so that the icons and the manifest can be changed without
/// touching code; the manifest is a template whose <c>{{placeholders}}</c> are filled from <see cref="Settings"/>.
/// </summary>
internal static partial class TeamsAppPackage
{
    private const string ResourcePrefix = "TeamsPackage/";
    private const string TemplateFile = "Commands/TeamsPackage/manifest.json";

    private static readonly JsonWriterOptions ManifestFormat = new()
    {
        Indented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>What the command fills into the manifest template, checked.</summary>
    internal sealed record Settings(
        string AppId,
        string AppName,
        string DeveloperName,
        string WebsiteUrl,
        string PrivacyUrl,
        string TermsOfUseUrl,
        string Domain)
    {
        /// <summary>The template's placeholders, by name (<c>{{appId}}</c> is the bot's Microsoft app id).</summary>
        internal IReadOnlyDictionary<string, string> Placeholders => new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["appId"] = AppId,
            ["appName"] = AppName,
            ["developerName"] = DeveloperName,
            ["websiteUrl"] = WebsiteUrl,
            ["privacyUrl"] = PrivacyUrl,
            ["termsOfUseUrl"] = TermsOfUseUrl,
            ["domain"] = Domain,
        };
    }

    /// <summary>The package's bytes.</summary>
    public static byte[] Build(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "manifest.json", Manifest(settings));
            Add(zip, "color.png", ColorIcon());
            Add(zip, "outline.png", OutlineIcon());
        }

        return buffer.ToArray();
    }

    /// <summary>The manifest template with every placeholder filled, indented as Teams' own samples are.</summary>
    public static byte[] Manifest(Settings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        JsonNode template;
        using (var stream = Resource("manifest.json"))
        {
            try
            {
                template = JsonNode.Parse(stream) ?? throw new JsonException("the file holds null");
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{TemplateFile} is not valid JSON: {ex.Message}", ex);
            }
        }

        var filled = Filled(template, settings.Placeholders);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, ManifestFormat))
        {
            filled!.WriteTo(json);
        }

        return buffer.ToArray();
    }

    /// <summary>The 192×192 colour icon (Commands/TeamsPackage/color.png).</summary>
    public static byte[] ColorIcon() => ResourceBytes("color.png");

    /// <summary>The 32×32 outline icon, white on transparent (Commands/TeamsPackage/outline.png).</summary>
    public static byte[] OutlineIcon() => ResourceBytes("outline.png");

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }

    // A copy of the template with the placeholders filled in every string value; names and structure stay as written.
    private static JsonNode? Filled(JsonNode? node, IReadOnlyDictionary<string, string> values) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Filled(p.Value, values)))),
        JsonArray array => new JsonArray(array.Select(n => Filled(n, values)).ToArray()),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(Filled(value.GetValue<string>(), values)),
        _ => node?.DeepClone(),
    };

    private static string Filled(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, match => values.TryGetValue(match.Groups["name"].Value, out var value)
            ? value
            : throw new InvalidDataException($"{TemplateFile} uses the placeholder {match.Value}, which the command does not fill. "
                + $"Known placeholders: {string.Join(", ", values.Keys.Select(k => "{{" + k + "}}"))}."));

    [GeneratedRegex(@"\{\{\s*(?<name>[A-Za-z]+)\s*\}\}")]
    private static partial Regex Placeholder();

    private static byte[] ResourceBytes(string name)
    {
        using var stream = Resource(name);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static Stream Resource(string name) =>
        typeof(TeamsAppPackage).Assembly.GetManifestResourceStream(ResourcePrefix + name)
        ?? throw new InvalidOperationException($"The embedded resource {ResourcePrefix}{name} is missing: see the EmbeddedResource items in ExportCenter.Bot.csproj.");
}
