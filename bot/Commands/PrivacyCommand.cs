using System.Text.Json;
using ExportCenter.Bot.Privacy;

namespace ExportCenter.Bot.Commands;

/// <summary>
/// <c>privacy export --email X | --orgnr N | --conversation CHANNEL:ID</c> prints, as JSON, everything the bot keeps about
/// that person, company or conversation; <c>privacy erase</c> with the same choice deletes it (see <see cref="PrivacyService"/>)
/// and prints what it removed, as counts. Like <see cref="AdvisorSignInLinkCommand"/> it runs on the built host's storage.
/// </summary>
public static class PrivacyCommand
{
    private static readonly JsonSerializerOptions Indented = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static bool IsCommand(string[] args) => args is ["privacy", "export" or "erase", ..];

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string? problem = null;
        var subject = IsCommand(args) ? PrivacySubject.Parse(args[2..], out problem) : null;
        if (subject is null)
        {
            await error.WriteLineAsync("usage: ExportCenter.Bot privacy export|erase --email ADDRESS | --orgnr NNNNNN-NNNN | --conversation CHANNEL:ID");
            if (IsCommand(args))
            {
                await error.WriteLineAsync(problem);
            }

            return 2;
        }

        var privacy = services.GetRequiredService<PrivacyService>();
        if (args[1] == "export")
        {
            var export = await privacy.ExportAsync(subject, CancellationToken.None);
            await output.WriteLineAsync(export.ToJsonString(Indented));
            return 0;
        }

        var erased = await privacy.EraseAsync(subject, CancellationToken.None);
        await output.WriteLineAsync(JsonSerializer.Serialize(erased, Indented));
        if (!erased.FileRewritten)
        {
            await error.WriteLineAsync("warning: the database's write-ahead log could not be truncated (the bot was busy): run the command again, or stop the bot and run it, so that no old copy stays in the file.");
            return 1;
        }

        return 0;
    }
}
