using System.Net;
using System.Net.Http.Json;
using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Storage;
using ExportCenter.Bot.Testing;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExportCenter.Bot.Tests.Advisors;

/// <summary>
/// An advisor's sign-in holds on every instance on one database: the cookie is protected with Data Protection keys kept
/// in that database, under one application name, not in a folder of the machine that signed the advisor in.
/// </summary>
public sealed class CrossInstanceSignInTests : IDisposable
{
    private readonly List<DirectoryInfo> _keyFolders = [];

    public void Dispose() => _keyFolders.ForEach(f => f.Delete(recursive: true));

    [Fact]
    public async Task ACookieFromInstanceA_IsTakenByInstanceB_OnAnotherMachine()
    {
        using var database = TestDatabase.Create("postgres");
        using var a = OnItsOwnMachine(database);
        using var b = OnItsOwnMachine(database);
        var cookies = new CookieContainer();
        using var viaA = a.CreateHttpClient(cookies);
        using var viaB = b.CreateHttpClient(cookies);
        var token = await a.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
        using (var signIn = await viaA.PostAsync("advisors/signin", JsonContent.Create(new { token })))
        {
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        using var onB = await viaB.PostAsync("api/advisors/session", JsonContent.Create(new { }));
        using var onA = await viaA.PostAsync("api/advisors/session", JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onA.StatusCode);
        await using var db = await b.Services.GetRequiredService<IDbContextFactory<BotDbContext>>().CreateDbContextAsync();
        Assert.NotEmpty(await db.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
    }

    [Fact]
    public async Task OnSqlite_TheKeysAreInTheDatabaseToo_SoASignInOutlivesAMoveOfTheMachine()
    {
        using var database = TestDatabase.Create("sqlite");
        var cookies = new CookieContainer();
        using (var before = OnItsOwnMachine(database))
        {
            using var http = before.CreateHttpClient(cookies);
            var token = await before.Services.GetRequiredService<AdvisorDirectory>().IssueSignInTokenAsync("radgivare", CancellationToken.None);
            using var signIn = await http.PostAsync("advisors/signin", JsonContent.Create(new { token }));
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        }

        // The database file moved to a new machine: nothing of the old one but the file.
        using var after = OnItsOwnMachine(database);
        using var viaNew = after.CreateHttpClient(cookies);
        using var session = await viaNew.PostAsync("api/advisors/session", JsonContent.Create(new { }));

        Assert.Equal(HttpStatusCode.OK, session.StatusCode);
    }

    /// <summary>
    /// An instance whose machine-local key folder is its own (on one machine the instances would share the user's
    /// folder): wherever the bot keeps its keys itself, this folder is not used.
    /// </summary>
    private BotApp OnItsOwnMachine(TestDatabase database)
    {
        var folder = Directory.CreateTempSubdirectory("exportcenter-keys-");
        _keyFolders.Add(folder);
        return new BotApp(
            new Dictionary<string, string?>(database.Settings) { ["Outbox:Enabled"] = "false", ["Sla:Enabled"] = "false" },
            services => services.Configure<KeyManagementOptions>(o => o.XmlRepository ??= new FileSystemXmlRepository(folder, NullLoggerFactory.Instance)));
    }
}
