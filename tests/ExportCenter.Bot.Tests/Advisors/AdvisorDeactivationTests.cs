using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// Local advisors can be deactivated: by removal from <c>Advisors:Directory</c>, by <c>"Active": false</c>, or with
/// <c>advisors deactivate LOGIN</c>; a deactivation holds across restarts until the entry says <c>"Active": true</c>.
/// Each start below is a new host on the same database, as a restart with changed configuration is.
/// </summary>
public sealed class AdvisorDeactivationTests
{
    private const string Password = "ett långt lösenord 2026";

    [Fact]
    public async Task ALocalAdvisorTakenOutOfTheDirectory_CanNoLongerSignIn()
    {
        using var database = TestDatabase.Create("sqlite");
        await StartAsync(database, Local("anna"), async directory => await SetPasswordAsync(directory, "anna"));

        await StartAsync(database, [], async directory =>
            Assert.Null(await directory.VerifyPasswordAsync("anna", Password, CancellationToken.None)));
    }

    [Fact]
    public async Task ActiveFalse_Deactivates_AndTheDeactivationHoldsUntilActiveTrue()
    {
        using var database = TestDatabase.Create("sqlite");
        await StartAsync(database, Local("anna"), async directory => await SetPasswordAsync(directory, "anna"));
        await StartAsync(database, Local("anna", active: false), async directory =>
            Assert.Null(await directory.VerifyPasswordAsync("anna", Password, CancellationToken.None)));

        // Listed again without "Active": the deactivation holds; with "Active": true the advisor can be let in again.
        await StartAsync(database, Local("anna"), async directory =>
            Assert.Null(await directory.IssueSignInTokenAsync("anna", CancellationToken.None)));
        await StartAsync(database, Local("anna", active: true), async directory =>
            Assert.NotNull(await directory.IssueSignInTokenAsync("anna", CancellationToken.None)));
    }

    [Fact]
    public async Task TheFirstAccount_CanBeDeactivated_AndNoStartBringsItBackOrPrintsALink()
    {
        using var database = TestDatabase.Create("sqlite");
        await StartAsync(database, [], async directory =>
        {
            Assert.NotNull(await directory.EnsureLocalSignInAsync(CancellationToken.None));
            await SetPasswordAsync(directory, "radgivare");
            Assert.True(await directory.DeactivateAsync("radgivare", CancellationToken.None));
        });

        await StartAsync(database, [], async directory =>
        {
            Assert.Null(await directory.VerifyPasswordAsync("radgivare", Password, CancellationToken.None));
            Assert.Null(await directory.EnsureLocalSignInAsync(CancellationToken.None));
            Assert.Null(await directory.IssueSignInTokenAsync("radgivare", CancellationToken.None));
        });
    }

    [Fact]
    public async Task TheFirstAccount_IsDeactivated_WhenTheDirectoryNamesOtherLocalAdvisors()
    {
        using var database = TestDatabase.Create("sqlite");
        await StartAsync(database, [], async directory =>
        {
            await directory.EnsureLocalSignInAsync(CancellationToken.None);
            await SetPasswordAsync(directory, "radgivare");
        });

        await StartAsync(database, Local("anna"), async directory =>
            Assert.Null(await directory.VerifyPasswordAsync("radgivare", Password, CancellationToken.None)));
    }

    private static Dictionary<string, string?> Local(string login, bool? active = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Advisors:Directory:0:Name"] = login,
            ["Advisors:Directory:0:OrganisationId"] = "almi",
            ["Advisors:Directory:0:LocalLogin"] = login,
        };
        if (active is { } value)
        {
            settings["Advisors:Directory:0:Active"] = value ? "true" : "false";
        }

        return settings;
    }

    private static async Task StartAsync(TestDatabase database, Dictionary<string, string?> directory, Func<AdvisorDirectory, Task> check)
    {
        var settings = new Dictionary<string, string?>(database.Settings);
        foreach (var (key, value) in directory)
        {
            settings[key] = value;
        }

        using var app = new BotApp(settings);
        var advisors = app.Services.GetRequiredService<AdvisorDirectory>();
        await advisors.SeedAsync(CancellationToken.None);
        await check(advisors);
    }

    private static async Task SetPasswordAsync(AdvisorDirectory directory, string login)
    {
        var token = await directory.IssueSignInTokenAsync(login, CancellationToken.None);
        var advisor = await directory.RedeemSignInTokenAsync(token, CancellationToken.None);
        Assert.NotNull(advisor);
        await directory.SetPasswordAsync(advisor.Id, Password, CancellationToken.None);
        Assert.NotNull(await directory.VerifyPasswordAsync(login, Password, CancellationToken.None));
    }
}
