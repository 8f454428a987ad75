using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace ExportCenter.Bot.Commands;

/// <summary>
/// <c>teams package [--out FILE.zip] [--MicrosoftAppId ID] [--base-url https://...]</c>: builds the Teams app
/// package (manifest.json, color.png, outline.png) that installs the bot in the advisors' team. Settings are read
/// like the host reads them: appsettings.json next to the binaries, then environment variables, then the command
/// line. Only the written path goes to standard output; problems go to standard error.
/// </summary>
public static class TeamsPackageCommand
{
    /// <summary>The app manifest version the package is written for.</summary>
    public const string ManifestVersion = "1.17";

    /// <summary>The file written when <c>--out</c> is not given (in the current directory).</summary>
    public const string DefaultFileName = "exportcenter-teams.zip";

    private const string Schema = "https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json";

    // The icon's background and the app's accent colour.
    private const byte BlueR = 0x1E, BlueG = 0x5A, BlueB = 0xA8;
    private const string AccentColor = "#1E5AA8";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder()
                .SetBasePath(AppContext.BaseDirectory)
                .AddJsonFile("appsettings.json", optional: true, reloadOnChange: false)
                .AddEnvironmentVariables()
                .AddCommandLine(args)
                .Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException)
        {
            error.WriteLine($"teams package: cannot read the configuration: {ex.Message}");
            return 1;
        }

        var settings = Read(configuration, Option(args, "--base-url"), error);
        if (settings is null)
        {
            return 1;
        }

        var path = Path.GetFullPath(Option(args, "--out") ?? DefaultFileName);
        try
        {
            var folder = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }

            File.WriteAllBytes(path, BuildPackage(settings));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"teams package: cannot write {path}: {ex.Message}");
            return 1;
        }

        output.WriteLine(path);
        return 0;
    }

    /// <summary>What goes into the manifest, checked.</summary>
    internal sealed record PackageSettings(
        string BotId,
        string AppName,
        string DeveloperName,
        string WebsiteUrl,
        string PrivacyUrl,
        string TermsOfUseUrl,
        string Domain);

    private static PackageSettings? Read(IConfiguration configuration, string? baseUrlOption, TextWriter error)
    {
        var appId = configuration["MicrosoftAppId"]?.Trim();
        if (string.IsNullOrEmpty(appId))
        {
            error.WriteLine("teams package: MicrosoftAppId is not set. Give the bot's Microsoft app id (a GUID, from the Azure Bot resource) "
                + "with --MicrosoftAppId ID, the MicrosoftAppId environment variable or appsettings.json.");
            return null;
        }

        if (!Guid.TryParseExact(appId, "D", out var botGuid))
        {
            error.WriteLine($"teams package: MicrosoftAppId '{appId}' is not a GUID (expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).");
            return null;
        }

        var baseUrlText = baseUrlOption ?? configuration["Teams:PublicBaseUrl"];
        if (string.IsNullOrWhiteSpace(baseUrlText))
        {
            error.WriteLine("teams package: the bot's public base URL is not set. Give it with --base-url https://bot.example.se "
                + "or the Teams:PublicBaseUrl setting; the privacy notice and the app's valid domain are taken from it.");
            return null;
        }

        var baseUrl = HttpsUrl(baseUrlText.Trim(), baseUrlOption is null ? "Teams:PublicBaseUrl" : "--base-url", error);
        if (baseUrl is null)
        {
            return null;
        }

        var root = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var appName = Setting(configuration, "Teams:AppName") ?? "ExportCenter";
        var developerName = Setting(configuration, "Teams:Developer:Name") ?? "Exportcentrum Dalarna";
        if (!FitsIn(appName, 30, "Teams:AppName", error) || !FitsIn(developerName, 32, "Teams:Developer:Name", error))
        {
            return null;
        }

        var website = UrlSetting(configuration, "Teams:Developer:WebsiteUrl", root + "/", error);
        var privacy = UrlSetting(configuration, "Teams:Developer:PrivacyUrl", root + "/privacy.html", error);
        var terms = UrlSetting(configuration, "Teams:Developer:TermsOfUseUrl", root + "/privacy.html", error);
        if (website is null || privacy is null || terms is null)
        {
            return null;
        }

        return new PackageSettings(botGuid.ToString("D"), appName, developerName, website, privacy, terms, baseUrl.IdnHost);
    }

    private static string? Setting(IConfiguration configuration, string key) =>
        configuration[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool FitsIn(string value, int maxLength, string name, TextWriter error)
    {
        if (value.Length <= maxLength)
        {
            return true;
        }

        error.WriteLine($"teams package: {name} '{value}' is longer than the {maxLength} characters Teams allows.");
        return false;
    }

    private static string? UrlSetting(IConfiguration configuration, string key, string fallback, TextWriter error)
    {
        if (Setting(configuration, key) is not { } value)
        {
            return fallback;
        }

        return HttpsUrl(value, key, error)?.AbsoluteUri;
    }

    private static Uri? HttpsUrl(string value, string name, TextWriter error)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host))
        {
            return uri;
        }

        error.WriteLine($"teams package: {name} '{value}' is not an absolute https URL (such as https://bot.example.se).");
        return null;
    }

    /// <summary>The package's bytes: a zip with manifest.json, color.png and outline.png at its root.</summary>
    internal static byte[] BuildPackage(PackageSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "manifest.json", Manifest(settings));
            Add(zip, "color.png", ColorIcon());
            Add(zip, "outline.png", OutlineIcon());
        }

        return buffer.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] content)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var stream = entry.Open();
        stream.Write(content);
    }

    internal static byte[] Manifest(PackageSettings settings)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", Schema);
            json.WriteString("manifestVersion", ManifestVersion);
            json.WriteString("version", "1.0.0");
            // The bot's app id doubles as the Teams app id: stable across rebuilds of the package.
            json.WriteString("id", settings.BotId);

            json.WriteStartObject("developer");
            json.WriteString("name", settings.DeveloperName);
            json.WriteString("websiteUrl", settings.WebsiteUrl);
            json.WriteString("privacyUrl", settings.PrivacyUrl);
            json.WriteString("termsOfUseUrl", settings.TermsOfUseUrl);
            json.WriteEndObject();

            json.WriteStartObject("name");
            json.WriteString("short", settings.AppName);
            json.WriteString("full", $"{settings.AppName}: export advice handoffs");
            json.WriteEndObject();

            json.WriteStartObject("description");
            json.WriteString("short", "Swedish export advice handoffs from the export centre's chat to its advisors");
            json.WriteString("full",
                "The regional export centre in Dalarna gives Swedish companies export advice through a chat on its website, "
                + "in Swedish or English, and tells each company which organisation can help. When a company needs a person, "
                + "the chat hands the case over to an advisor: this bot posts the handoff ticket in the advisors' channel and "
                + "follows the replies in the ticket's thread, so that an advisor makes contact within one working day.");
            json.WriteEndObject();

            json.WriteStartObject("icons");
            json.WriteString("color", "color.png");
            json.WriteString("outline", "outline.png");
            json.WriteEndObject();
            json.WriteString("accentColor", AccentColor);

            json.WriteStartArray("bots");
            json.WriteStartObject();
            json.WriteString("botId", settings.BotId);
            WriteStrings(json, "scopes", "team", "personal");
            json.WriteBoolean("supportsFiles", false);
            json.WriteBoolean("isNotificationOnly", false);
            json.WriteStartArray("commandLists");
            json.WriteStartObject();
            WriteStrings(json, "scopes", "team");
            json.WriteStartArray("commands");
            WriteCommand(json, "status", "Show the status of the handoff tickets");
            WriteCommand(json, "help", "What the bot does in this channel");
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();

            WriteStrings(json, "validDomains", settings.Domain);

            // Resource-specific consent: the bot gets every message in the team's channels, so advisors' replies in
            // a ticket's thread reach it without @mentioning the bot. webApplicationInfo must be present for it.
            json.WriteStartObject("webApplicationInfo");
            json.WriteString("id", settings.BotId);
            json.WriteString("resource", "https://RscBasedStoreApp");
            json.WriteEndObject();
            json.WriteStartObject("authorization");
            json.WriteStartObject("permissions");
            json.WriteStartArray("resourceSpecific");
            json.WriteStartObject();
            json.WriteString("name", "ChannelMessage.Read.Group");
            json.WriteString("type", "Application");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, params string[] values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void WriteCommand(Utf8JsonWriter json, string title, string description)
    {
        json.WriteStartObject();
        json.WriteString("title", title);
        json.WriteString("description", description);
        json.WriteEndObject();
    }

    /// <summary>The 192×192 colour icon: a white door with an arrow going in, on the accent blue (RGB).</summary>
    internal static byte[] ColorIcon()
    {
        const int size = 192;
        var pixels = new byte[size * size * 3];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var cover = Coverage(x, y, size);
                var i = ((y * size) + x) * 3;
                pixels[i] = Blend(BlueR, cover);
                pixels[i + 1] = Blend(BlueG, cover);
                pixels[i + 2] = Blend(BlueB, cover);
            }
        }

        return Png.Encode(size, size, Png.Rgb, pixels);
    }

    /// <summary>The 32×32 outline icon: the same shape in white on a transparent background (RGBA).</summary>
    internal static byte[] OutlineIcon()
    {
        const int size = 32;
        var pixels = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var i = ((y * size) + x) * 4;
                pixels[i] = pixels[i + 1] = pixels[i + 2] = 255;
                pixels[i + 3] = (byte)Math.Round(255 * Coverage(x, y, size));
            }
        }

        return Png.Encode(size, size, Png.Rgba, pixels);
    }

    private static byte Blend(byte background, double white) => (byte)Math.Round(background + ((255 - background) * white));

    // How much of pixel (x, y) the shape covers, from 4×4 samples: smooth edges at any size.
    private static double Coverage(int x, int y, int size)
    {
        const int samples = 4;
        var hits = 0;
        for (var sy = 0; sy < samples; sy++)
        {
            for (var sx = 0; sx < samples; sx++)
            {
                if (InShape((x + ((sx + 0.5) / samples)) / size, (y + ((sy + 0.5) / samples)) / size))
                {
                    hits++;
                }
            }
        }

        return hits / (double)(samples * samples);
    }

    // The shape on the unit square (u to the right, v down): a door frame standing on a threshold, and an arrow
    // that comes from the left and points through the open door ("en dörr in").
    private static bool InShape(double u, double v)
    {
        var frame = u is >= 0.42 and <= 0.82 && v is >= 0.16 and <= 0.84
            && !(u is > 0.49 and < 0.75 && v > 0.23);
        var threshold = u is >= 0.34 and <= 0.90 && v is >= 0.84 and <= 0.90;
        const double arrowY = 0.53;
        var shaft = u is >= 0.10 and <= 0.50 && Math.Abs(v - arrowY) <= 0.05;
        var head = u is >= 0.46 and <= 0.68 && Math.Abs(v - arrowY) <= 0.15 * (0.68 - u) / 0.22;
        return frame || threshold || shaft || head;
    }

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A minimal PNG writer: 8-bit RGB or RGBA, no interlacing, every row unfiltered.</summary>
    internal static class Png
    {
        public const byte Rgb = 2;
        public const byte Rgba = 6;

        private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
        private static readonly uint[] CrcTable = BuildCrcTable();

        public static byte[] Encode(int width, int height, byte colourType, byte[] pixels)
        {
            var channels = colourType == Rgba ? 4 : 3;
            if (pixels.Length != width * height * channels)
            {
                throw new ArgumentException($"expected {width * height * channels} bytes of pixels, got {pixels.Length}", nameof(pixels));
            }

            var header = new byte[13];
            BinaryPrimitives.WriteInt32BigEndian(header, width);
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
            header[8] = 8; // bits per channel
            header[9] = colourType;
            // [10..12]: compression 0 (deflate), filter method 0, no interlace

            using var image = new MemoryStream();
            using (var zlib = new ZLibStream(image, CompressionLevel.Optimal, leaveOpen: true))
            {
                var stride = width * channels;
                for (var row = 0; row < height; row++)
                {
                    zlib.WriteByte(0); // filter type None
                    zlib.Write(pixels, row * stride, stride);
                }
            }

            using var png = new MemoryStream();
            png.Write(Signature);
            WriteChunk(png, "IHDR", header);
            WriteChunk(png, "IDAT", image.ToArray());
            WriteChunk(png, "IEND", []);
            return png.ToArray();
        }

        private static void WriteChunk(Stream png, string type, byte[] data)
        {
            Span<byte> word = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
            png.Write(word);
            var typeAndData = new byte[4 + data.Length];
            for (var i = 0; i < 4; i++)
            {
                typeAndData[i] = (byte)type[i];
            }

            data.CopyTo(typeAndData, 4);
            png.Write(typeAndData);
            BinaryPrimitives.WriteUInt32BigEndian(word, Crc32(typeAndData));
            png.Write(word);
        }

        private static uint Crc32(byte[] bytes)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in bytes)
            {
                crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc ^ 0xFFFFFFFFu;
        }

        private static uint[] BuildCrcTable()
        {
            var table = new uint[256];
            for (var n = 0u; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
