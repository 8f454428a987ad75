using System.Diagnostics;
using System.Text;
using ExportCenter.Bot.Commands;
using ExportCenter.Testing;

namespace ExportCenter.Bot.Tests.Commands;

/// <summary>
/// The bot's command line as an operator meets it: <c>dotnet ExportCenter.Bot.dll ARGS</c> in its own process. A verb
/// the bot does not know prints the usage and exits 2 instead of starting the web host; options alone start it.
/// </summary>
public sealed class CommandLineTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _folder = Directory.CreateTempSubdirectory("exportcenter-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("foo")]
    [InlineData("advisers", "deactivate", "x")]
    [InlineData("advisors", "signin-link")]
    [InlineData("advisors", "deactivate")]
    [InlineData("kb", "frobnicate")]
    public async Task AnUnknownVerb_PrintsTheUsage_AndExits2_WithoutStartingTheHost(params string[] args)
    {
        var (exit, output, error) = await RunAsync(args, until: null);

        Assert.Equal(2, exit);
        Assert.StartsWith("usage: ExportCenter.Bot ", error, StringComparison.Ordinal);
        Assert.Contains("advisors signin-link LOGIN", error, StringComparison.Ordinal);
        Assert.DoesNotContain("is ready", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OptionsAlone_StartTheHost()
    {
        var (_, output, _) = await RunAsync(["--urls", "http://127.0.0.1:0"], until: "ExportCenter.Bot is ready");

        Assert.Contains("ExportCenter.Bot is ready", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--urls", "http://0.0.0.0:8080" }, false)]
    [InlineData(new[] { "--DirectLine:WebSocket=false" }, false)]
    [InlineData(new[] { "/Urls", "http://localhost:5181" }, false)]
    [InlineData(new[] { "DirectLine:WebSocket=false" }, false)]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "advisors", "signin-link", "radgivare" }, false)] // needs the host: Program runs it after building it
    [InlineData(new[] { "advisors", "deactivate", "radgivare" }, false)]
    [InlineData(new[] { "kb", "validate" }, true)]
    [InlineData(new[] { "foo", "--urls", "http://localhost:5181" }, true)]
    public void IsCommand_IsEveryVerbButTheOneThatNeedsTheHost_AndNoOption(string[] args, bool expected) =>
        Assert.Equal(expected, BotCommands.IsCommand(args));

    /// <summary>
    /// Runs the bot with its own working folder and database. With <paramref name="until"/> the bot is stopped once
    /// its output contains that; without, it must end by itself within <see cref="Patience"/>.
    /// </summary>
    private async Task<(int? Exit, string Output, string Error)> RunAsync(string[] args, string? until)
    {
        // The bot's own build output, as an operator runs it: the copy in this project's output has the tests' layout
        // of native libraries, not the bot's (the Release build is for the machine's runtime, with them beside it).
        var start = new ProcessStartInfo("dotnet", [ExportCenter.Bot.Testing.BotProcess.BotAssembly, .. args])
        {
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ConnectionStrings__Bot"] = $"Data Source={Path.Combine(_folder, "bot.db")}";
        start.Environment["Email__PickupFolder"] = Path.Combine(_folder, "mail");
        start.Environment["Urls"] = "http://127.0.0.1:0"; // never the default port, which a running bot may hold
        using var bot = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var output = new StringBuilder();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (until is not null && output.ToString().Contains(until, StringComparison.Ordinal))
                {
                    ready.TrySetResult();
                }
            }
        };
        bot.BeginOutputReadLine();
        var error = bot.StandardError.ReadToEndAsync();
        var ended = bot.WaitForExitAsync();
        var first = await Task.WhenAny(ended, ready.Task, Task.Delay(Patience));
        if (first != ended)
        {
            bot.Kill(entireProcessTree: true);
            await ended;
            Assert.True(first == ready.Task, $"The bot neither ended nor printed '{until}' within {Patience.TotalSeconds:0} s. Output: {output}");
        }

        bot.WaitForExit(); // the output's last lines
        var errors = await error;
        lock (output)
        {
            return (first == ended ? bot.ExitCode : null, output.ToString(), errors);
        }
    }
}
