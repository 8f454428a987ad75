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

    [Fact]
    public async Task SignInLink_ForATeamsCoordinator_OpensInsight_WithoutAPasswordToChoose_AndNotForOtherTeamsAdvisors()
    {
        using var app = new BotApp(new Dictionary<string, string?>
        {
            ["Urls"] = "http://localhost:5180",
            ["Advisors:Directory:0:Name"] = "Sara Samordnare",
            ["Advisors:Directory:0:OrganisationId"] = "region-dalarna",
            ["Advisors:Directory:0:AadObjectId"] = "aad-sara",
            ["Advisors:Directory:0:IsCoordinator"] = "true",
            ["Advisors:Directory:1:Name"] = "Anna",
            ["Advisors:Directory:1:OrganisationId"] = "almi",
            ["Advisors:Directory:1:AadObjectId"] = "aad-anna",
        });
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await AdvisorSignInLinkCommand.RunAsync(app.Services, ["advisors", "signin-link", "--teams", "aad-sara"], output, error);

        Assert.True(exit == 0, error.ToString());
        var token = Uri.UnescapeDataString(new Uri(output.ToString().Trim()).Fragment["#token=".Length..]);
        using var http = app.CreateHttpClient();
        using (var signIn = await http.PostAsync("advisors/signin", System.Net.Http.Json.JsonContent.Create(new { token })))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        using (var insight = await http.GetAsync("api/insight/summary"))
        {
            Assert.Equal(HttpStatusCode.OK, insight.StatusCode);
        }

        using var refusedOutput = new StringWriter();
        using var refused = new StringWriter();
        Assert.Equal(1, await AdvisorSignInLinkCommand.RunAsync(app.Services, ["advisors", "signin-link", "--teams", "aad-anna"], refusedOutput, refused));
        Assert.Equal("", refusedOutput.ToString());
        Assert.Contains("No active coordinator with the Microsoft Entra object id 'aad-anna'", refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "advisors", "signin-link", "radgivare" }, true)]
    [InlineData(new[] { "advisors", "signin-link" }, false)] // without a login it is no sign-in link: BotCommands prints the usage
    [InlineData(new[] { "advisors" }, false)]
    [InlineData(new string[0], false)]
    public void IsCommand_NeedsALogin(string[] args, bool expected) =>
        Assert.Equal(expected, AdvisorSignInLinkCommand.IsCommand(args));
}
