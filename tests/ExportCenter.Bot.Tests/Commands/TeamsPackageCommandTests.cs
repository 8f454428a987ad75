using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ExportCenter.Bot.Commands;

namespace ExportCenter.Bot.Tests.Commands;

public sealed class TeamsPackageCommandTests : IDisposable
{
    private const string AppId = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "teams-package-" + Guid.NewGuid().ToString("N"));

    private string ZipPath => Path.Combine(_folder, "app.zip");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Package_WritesTheManifestAndBothIcons_AndOnlyThePathToStandardOutput()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = BotCommands.Run(["teams", "package", "--out", ZipPath, "--MicrosoftAppId", AppId.ToUpperInvariant(), "--base-url", "https://bot.example.se/chat/"], output, error);

        Assert.True(exit == 0, error.ToString());
        Assert.Equal(ZipPath + Environment.NewLine, output.ToString());
        Assert.Equal("", error.ToString());
        using var zip = ZipFile.OpenRead(ZipPath);
        Assert.Equal(["color.png", "manifest.json", "outline.png"], zip.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));

        var manifest = JsonNode.Parse(Read(zip, "manifest.json"))!.AsObject();
        Assert.Equal("https://developer.microsoft.com/en-us/json-schemas/teams/v1.17/MicrosoftTeams.schema.json", manifest["$schema"]!.GetValue<string>());
        Assert.Equal("1.17", manifest["manifestVersion"]!.GetValue<string>());
        Assert.Equal(AppId, manifest["id"]!.GetValue<string>());
        var bot = Assert.Single(manifest["bots"]!.AsArray())!;
        Assert.Equal(AppId, bot["botId"]!.GetValue<string>());
        Assert.Equal(["team", "personal"], Strings(bot["scopes"]));
        Assert.False(bot["isNotificationOnly"]!.GetValue<bool>());
        var commands = Assert.Single(bot["commandLists"]!.AsArray())!;
        Assert.Equal(["team"], Strings(commands["scopes"]));
        Assert.Contains("status", commands["commands"]!.AsArray().Select(c => c!["title"]!.GetValue<string>()));
        Assert.Equal(["bot.example.se"], Strings(manifest["validDomains"]));
        Assert.Equal("https://bot.example.se/chat/privacy.html", manifest["developer"]!["privacyUrl"]!.GetValue<string>());
        Assert.Equal("ExportCenter", manifest["name"]!["short"]!.GetValue<string>());
        Assert.Equal(("color.png", "outline.png"), (manifest["icons"]!["color"]!.GetValue<string>(), manifest["icons"]!["outline"]!.GetValue<string>()));

        var permission = Assert.Single(manifest["authorization"]!["permissions"]!["resourceSpecific"]!.AsArray())!;
        Assert.Equal(("ChannelMessage.Read.Group", "Application"), (permission["name"]!.GetValue<string>(), permission["type"]!.GetValue<string>()));
        Assert.Equal(AppId, manifest["webApplicationInfo"]!["id"]!.GetValue<string>());
        Assert.Equal("https://RscBasedStoreApp", manifest["webApplicationInfo"]!["resource"]!.GetValue<string>());

        var color = PngImage.Parse(Read(zip, "color.png"));
        Assert.Equal((192, 192, 2), (color.Width, color.Height, color.ColourType));
        var colours = color.Pixels().Distinct().ToList();
        Assert.Contains(colours, p => p is { R: 255, G: 255, B: 255 });
        Assert.Contains(colours, p => p.B > p.R + 50);

        var outline = PngImage.Parse(Read(zip, "outline.png"));
        Assert.Equal((32, 32, 6), (outline.Width, outline.Height, outline.ColourType));
        var pixels = outline.Pixels().ToList();
        Assert.All(pixels, p => Assert.Equal((255, 255, 255), (p.R, p.G, p.B)));
        Assert.Contains(pixels, p => p.A == 0);
        Assert.Contains(pixels, p => p.A == 255);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("my-bot")]
    public void Package_WithoutAValidAppId_FailsNamingTheSetting_AndWritesNothing(string? appId)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = appId is null
            ? ["teams", "package", "--out", ZipPath, "--base-url", "https://bot.example.se"]
            : ["teams", "package", "--out", ZipPath, "--MicrosoftAppId", appId, "--base-url", "https://bot.example.se"];

        var exit = BotCommands.Run(args, output, error);

        Assert.Equal(1, exit);
        Assert.Contains("MicrosoftAppId", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
        Assert.False(File.Exists(ZipPath));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://bot.example.se")]
    [InlineData("bot.example.se")]
    public void Package_WithoutAnHttpsBaseUrl_FailsNamingTheSetting_AndWritesNothing(string? baseUrl)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] args = baseUrl is null
            ? ["teams", "package", "--out", ZipPath, "--MicrosoftAppId", AppId]
            : ["teams", "package", "--out", ZipPath, "--MicrosoftAppId", AppId, "--base-url", baseUrl];

        var exit = BotCommands.Run(args, output, error);

        Assert.Equal(1, exit);
        Assert.Contains(baseUrl is null ? "Teams:PublicBaseUrl" : "--base-url", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(ZipPath));
    }

    [Fact]
    public void Teams_IsACommand_AndWithoutPackagePrintsTheUsage()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.True(BotCommands.IsCommand(["teams", "package"]));
        Assert.Equal(2, BotCommands.Run(["teams"], output, error));
        Assert.Contains("teams package", error.ToString(), StringComparison.Ordinal);
    }

    private static byte[] Read(ZipArchive zip, string name)
    {
        using var stream = zip.GetEntry(name)!.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static List<string> Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    private readonly record struct Rgba(byte R, byte G, byte B, byte A);

    /// <summary>Reads back what the command writes: checks the signature, every chunk's CRC and the header.</summary>
    private sealed record PngImage(int Width, int Height, byte ColourType, byte[] Scanlines)
    {
        private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

        public static PngImage Parse(byte[] png)
        {
            Assert.Equal(Signature, png[..8]);
            var chunks = new List<(string Type, byte[] Data)>();
            for (var at = 8; at < png.Length;)
            {
                var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
                var typeAndData = png.AsSpan(at + 4, 4 + length).ToArray();
                Assert.Equal(BitwiseCrc32(typeAndData), BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(at + 8 + length)));
                chunks.Add((System.Text.Encoding.ASCII.GetString(typeAndData, 0, 4), typeAndData[4..]));
                at += 12 + length;
            }

            Assert.Equal("IHDR", chunks[0].Type);
            Assert.Equal("IEND", chunks[^1].Type);
            var header = chunks[0].Data;
            Assert.Equal(13, header.Length);
            Assert.Equal(8, header[8]);
            Assert.Equal([0, 0, 0], header[10..13]);

            using var compressed = new MemoryStream(chunks.Where(c => c.Type == "IDAT").SelectMany(c => c.Data).ToArray());
            using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
            using var raw = new MemoryStream();
            zlib.CopyTo(raw);
            return new PngImage(BinaryPrimitives.ReadInt32BigEndian(header), BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4)), header[9], raw.ToArray());
        }

        public IEnumerable<Rgba> Pixels()
        {
            var channels = ColourType == 6 ? 4 : 3;
            var stride = 1 + (Width * channels);
            Assert.Equal(Height * stride, Scanlines.Length);
            for (var y = 0; y < Height; y++)
            {
                Assert.Equal(0, Scanlines[y * stride]); // the writer leaves every row unfiltered
                for (var x = 0; x < Width; x++)
                {
                    var i = (y * stride) + 1 + (x * channels);
                    yield return new Rgba(Scanlines[i], Scanlines[i + 1], Scanlines[i + 2], channels == 4 ? Scanlines[i + 3] : (byte)255);
                }
            }
        }

        private static uint BitwiseCrc32(byte[] bytes)
        {
            var crc = uint.MaxValue;
            foreach (var b in bytes)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++)
                {
                    crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
                }
            }

            return ~crc;
        }
    }
}
