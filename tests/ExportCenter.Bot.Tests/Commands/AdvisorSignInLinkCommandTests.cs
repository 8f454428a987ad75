using System.Net;
using ExportCenter.Bot.Commands;
using ExportCenter.Bot.Testing;

namespace ExportCenter.Bot.Tests.Commands;

public sealed class AdvisorSignInLinkCommandTests
{
    [Fact]
    public async Task SignInLink_ForTheFirstLocalAdvisor_PrintsOnlyALinkOnTheFirstListeningAddress_ThatSignsInOnce()
    {
        using var app = new BotApp(new Dictionary<string, string?> { ["Urls"] = "http://0.0.0.0:5180;http://localhost:5181" });
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AdvisorSignInLinkCommand.RunAsync(app.Services, ["advisors", "signin-link", "radgivare"], output, error);

        Assert.True(exit == 0, error.ToString());
        Assert.Equal("", error.ToString());
        var link = output.ToString();
        Assert.StartsWith("http://localhost:5180/advisors/signin#token=", link, StringComparison.Ordinal);
        Assert.EndsWith(Environment.NewLine, link, StringComparison.Ordinal);
        Assert.Single(link.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
        using var http = app.CreateHttpClient();
        // The token travels after '#', which a browser never sends: the page at the path posts it.
        var uri = new Uri(link.Trim());
        Assert.Equal("", uri.Query);
        var token = Uri.UnescapeDataString(uri.Fragment["#token=".Length..]);
        using var page = await http.GetAsync(uri.AbsolutePath.TrimStart('/'));
        using var used = await http.PostAsync(uri.AbsolutePath.TrimStart('/'), System.Net.Http.Json.JsonContent.Create(new { token }));
        using var reused = await http.PostAsync(uri.AbsolutePath.TrimStart('/'), System.Net.Http.Json.JsonContent.Create(new { token }));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode);
    }

    [Fact]
    public async Task SignInLink_ForAnUnknownLogin_FailsNamingTheLogin_AndPrintsNoLink()
    {
        using var app = new BotApp();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AdvisorSignInLinkCommand.RunAsync(app.Services, ["advisors", "signin-link", "okand"], output, error);

        Assert.Equal(1, exit);
        Assert.Equal("", output.ToString());
        Assert.Equal("No active advisor with the local login 'okand'. Add one under Advisors:Directory with a LocalLogin." + Environment.NewLine, error.ToString());
    }

    [Theory]
    [InlineData(new[] { "advisors", "signin-link", "radgivare" }, true)]
    [InlineData(new[] { "advisors", "signin-link" }, false)] // without a login it is no sign-in link: BotCommands prints the usage
    [InlineData(new[] { "advisors" }, false)]
    [InlineData(new string[0], false)]
    public void IsCommand_NeedsALogin(string[] args, bool expected) =>
        Assert.Equal(expected, AdvisorSignInLinkCommand.IsCommand(args));
}
