using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExportCenter.Bot.Commands;

namespace ExportCenter.Bot.Tests.Commands;

/// <summary>The files in bot/Commands/TeamsPackage/ as they are built into the bot, checked against what Teams accepts.</summary>
public sealed class TeamsAppPackageTests
{
    [Fact]
    public void EmbeddedColorIcon_IsAValidPng_Of192By192_WithTheWhiteShapeOnTheAccentBlue()
    {
        var icon = PngImage.Parse(TeamsAppPackage.ColorIcon());

        Assert.Equal((192, 192), (icon.Width, icon.Height));
        var pixels = icon.Pixels().ToList();
        Assert.Contains(pixels, p => p is { R: 255, G: 255, B: 255, A: 255 });
        Assert.Contains(pixels, p => p.B > p.R + 50);
    }

    [Fact]
    public void EmbeddedOutlineIcon_IsAValidPng_Of32By32_WhiteOnTransparent()
    {
        var icon = PngImage.Parse(TeamsAppPackage.OutlineIcon());

        Assert.Equal((32, 32, true), (icon.Width, icon.Height, icon.HasAlpha));
        var pixels = icon.Pixels().ToList();
        Assert.All(pixels, p => Assert.Equal((255, 255, 255), (p.R, p.G, p.B)));
        Assert.Contains(pixels, p => p.A == 0);
        Assert.Contains(pixels, p => p.A == 255);
    }

    [Fact]
    public void ManifestTemplate_FillsEveryPlaceholder_WithTheValuesAsWritten()
    {
        // Quotes, a backslash, non-ASCII and a value that looks like a placeholder: written as they are, not read again.
        var settings = new TeamsAppPackage.Settings(
            "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
            "Råd \"&\" {{domain}}",
            @"Export\Center",
            "https://bot.example.se/",
            "https://bot.example.se/integritet.html",
            "https://bot.example.se/villkor.html",
            "bot.example.se");

        var text = Encoding.UTF8.GetString(TeamsAppPackage.Manifest(settings));

        var manifest = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["{{domain}}"], Regex.Matches(text, @"\{\{[^}]*\}\}").Select(m => m.Value).Distinct()); // only the app name's
        Assert.Equal("Råd \"&\" {{domain}}", manifest["name"]!["short"]!.GetValue<string>());
        Assert.Equal("Råd \"&\" {{domain}}: export advice handoffs", manifest["name"]!["full"]!.GetValue<string>());
        Assert.Equal(@"Export\Center", manifest["developer"]!["name"]!.GetValue<string>());
        Assert.Equal("https://bot.example.se/", manifest["developer"]!["websiteUrl"]!.GetValue<string>());
        Assert.Equal("https://bot.example.se/integritet.html", manifest["developer"]!["privacyUrl"]!.GetValue<string>());
        Assert.Equal("https://bot.example.se/villkor.html", manifest["developer"]!["termsOfUseUrl"]!.GetValue<string>());
        Assert.Equal(["bot.example.se"], manifest["validDomains"]!.AsArray().Select(d => d!.GetValue<string>()));
        Assert.Equal(3, text.Split(settings.AppId).Length - 1); // the Teams app id, the bot id, the web application id
        Assert.Equal("1.0.0", manifest["version"]!.GetValue<string>());
        Assert.Equal("#1E5AA8", manifest["accentColor"]!.GetValue<string>());
    }
}
