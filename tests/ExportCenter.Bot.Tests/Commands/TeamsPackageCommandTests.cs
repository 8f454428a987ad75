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

        Assert.Equal(TeamsAppPackage.ColorIcon(), Read(zip, "color.png"));
        Assert.Equal(TeamsAppPackage.OutlineIcon(), Read(zip, "outline.png"));
        var color = PngImage.Parse(Read(zip, "color.png"));
        Assert.Equal((192, 192), (color.Width, color.Height));
        var colours = color.Pixels().Distinct().ToList();
        Assert.Contains(colours, p => p is { R: 255, G: 255, B: 255 });
        Assert.Contains(colours, p => p.B > p.R + 50);

        var outline = PngImage.Parse(Read(zip, "outline.png"));
        Assert.Equal((32, 32, true), (outline.Width, outline.Height, outline.HasAlpha));
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
}
