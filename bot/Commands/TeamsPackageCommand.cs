namespace ExportCenter.Bot.Commands;

/// <summary>
/// <c>teams package [--out FILE.zip] [--MicrosoftAppId ID] [--base-url https://...]</c>: builds the Teams app
/// package (<see cref="TeamsAppPackage"/>) that installs the bot in the advisors' team. Settings are read like the
/// host reads them: appsettings.json next to the binaries, then environment variables, then the command line, and
/// checked here before they fill the manifest template. Only the written path goes to standard output; problems go
/// to standard error.
/// </summary>
public static class TeamsPackageCommand
{
    /// <summary>The file written when <c>--out</c> is not given (in the current directory).</summary>
    public const string DefaultFileName = "exportcenter-teams.zip";

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

            File.WriteAllBytes(path, TeamsAppPackage.Build(settings));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"teams package: cannot write {path}: {ex.Message}");
            return 1;
        }

        output.WriteLine(path);
        return 0;
    }

    private static TeamsAppPackage.Settings? Read(IConfiguration configuration, string? baseUrlOption, TextWriter error)
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

        return new TeamsAppPackage.Settings(botGuid.ToString("D"), appName, developerName, website, privacy, terms, baseUrl.IdnHost);
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

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
