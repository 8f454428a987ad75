using ExportCenter.Bot.Advisors;
using ExportCenter.Bot.Hosting;

namespace ExportCenter.Bot.Commands;

/// <summary>
/// <c>advisors signin-link LOGIN</c>: prints a new one-time sign-in link for a local advisor, for when the first
/// start's link was lost or has expired; <c>advisors signin-link --teams OBJECT-ID</c> one for a coordinator who works in
/// Teams, to open the insight page. <c>advisors deactivate LOGIN</c>: ends a local advisor's access for good. Unlike <see cref="BotCommands"/> it needs the built host (storage and the
/// advisors' directory), so it runs after the host is built and its storage initialised, and before it serves.
/// Only the link goes to standard output; problems go to standard error.
/// </summary>
public static class AdvisorSignInLinkCommand
{
    private const string DefaultUrls = "http://localhost:5180";

    public static bool IsCommand(string[] args) => args is ["advisors", "signin-link" or "deactivate", _, ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not ["advisors", var verb and ("signin-link" or "deactivate"), var login, ..])
        {
            throw new ArgumentException("Expected the arguments 'advisors signin-link LOGIN' or 'advisors deactivate LOGIN'.", nameof(args));
        }

        var directory = services.GetRequiredService<AdvisorDirectory>();
        await directory.SeedAsync(CancellationToken.None);
        if (verb == "deactivate")
        {
            // Held across restarts until Advisors:Directory names the login again with "Active": true.
            if (!await directory.DeactivateAsync(login, CancellationToken.None))
            {
                await error.WriteLineAsync($"No active advisor with the local login '{login}'.");
                return 1;
            }

            await output.WriteLineAsync($"'{login}' is deactivated: no sign-in, and its open pages stop at their next request.");
            return 0;
        }

        string? token;
        if (login == "--teams")
        {
            // advisors signin-link --teams OBJECT-ID: a coordinator who works in Teams, for the insight page.
            if (args is not [_, _, _, var objectId, ..])
            {
                await error.WriteLineAsync("Give the coordinator's Microsoft Entra object id: advisors signin-link --teams OBJECT-ID");
                return 1;
            }

            token = await directory.IssueTeamsCoordinatorSignInTokenAsync(objectId, CancellationToken.None);
            if (token is null)
            {
                await error.WriteLineAsync($"No active coordinator with the Microsoft Entra object id '{objectId}'. Add one under Advisors:Directory with AadObjectId and \"IsCoordinator\": true.");
                return 1;
            }
        }
        else
        {
            await directory.EnsureLocalSignInAsync(CancellationToken.None); // creates the first local account on a fresh database
            token = await directory.IssueSignInTokenAsync(login, CancellationToken.None);
            if (token is null)
            {
                await error.WriteLineAsync($"No active advisor with the local login '{login}'. Add one under Advisors:Directory with a LocalLogin.");
                return 1;
            }
        }

        var urls = services.GetRequiredService<IConfiguration>()["Urls"] ?? DefaultUrls;
        var baseUrl = StartupLog.Browsable(urls.Split(';')[0]);
        await output.WriteLineAsync($"{baseUrl}/advisors/signin#token={token}");
        return 0;
    }
}
