using Microsoft.Extensions.Options;

namespace ExportCenter.Bot.Language;

/// <summary>
/// With <c>Language:Provider=Azure</c> the privacy notice names the service company text is sent to: the page is served
/// with a paragraph in each language at its marker. With the local backend it is the file as it is.
/// </summary>
public static class PrivacyNoticeLanguageProvider
{
    public const string SwedishParagraph =
        "<p>Exportcentret använder Microsofts tjänst Azure AI Language i regionens egen resurs i {0}, inom EU. Dit skickas det du skriver i chatten, för att se vilket språk det är på och för att ta bort personuppgifter ur de frågor vi sparar. Microsoft sparar inte texten. Den skickas ingen annanstans.</p>";

    public const string EnglishParagraph =
        "<p>The export centre uses Microsoft's Azure AI Language service, in the region's own resource in {0}, within the EU. What you write in the chat is sent there, to tell its language and to remove personal data from the questions we keep. Microsoft does not store the text. It is sent nowhere else.</p>";

    public static IApplicationBuilder UsePrivacyNoticeOfLanguageProvider(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var options = http.RequestServices.GetRequiredService<IOptions<AzureLanguageOptions>>().Value;
        if (!options.IsAzure || !HttpMethods.IsGet(http.Request.Method) || !string.Equals(http.Request.Path.Value, "/privacy.html", StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }

        var environment = http.RequestServices.GetRequiredService<IWebHostEnvironment>();
        var file = environment.WebRootFileProvider.GetFileInfo("privacy.html");
        using var reader = new StreamReader(file.CreateReadStream());
        var page = (await reader.ReadToEndAsync(http.RequestAborted))
            .Replace("<!-- language-provider:sv -->", SwedishParagraph.Replace("{0}", options.Region, StringComparison.Ordinal), StringComparison.Ordinal)
            .Replace("<!-- language-provider:en -->", EnglishParagraph.Replace("{0}", options.Region, StringComparison.Ordinal), StringComparison.Ordinal);
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(page, http.RequestAborted);
    });
}
