using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using ExportCenter.Testing;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// The built bot (<c>bot/bin/&lt;configuration&gt;/net10.0/ExportCenter.Bot.dll</c>) as a process of its own on a loopback
/// port, for tests of several instances: started with its settings on the command line, ready once <c>/healthz</c> answers
/// 200, killed with SIGKILL (<see cref="Kill"/>, what <c>kill -9</c> does: no shutdown, no flush) and restarted on the same
/// port. Its standard output and error go to <see cref="OutputFile"/> only, never to the test's output, so nothing a
/// company wrote can reach a test log through it (the bot logs no message text either).
/// </summary>
/// <remarks>
/// Every instance has a working folder of its own (the pickup folder for emails, the output file). With
/// <c>ownHome</c> it also gets a HOME of its own, as on a machine of its own: what ASP.NET Core keeps under HOME by
/// default (the Data Protection keys) is then not shared with the other instances. The HTTPS fakes' certificate is
/// trusted through the test user's HOME, so an instance that talks to <see cref="FakeBotConnector"/> keeps it.
/// </remarks>
public sealed class BotProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromMinutes(2);
    private readonly IReadOnlyList<string> _arguments;
    private readonly string? _home;
    private readonly StreamWriter _output;
    private readonly Lock _outputGate = new();
    private Process? _process;
    private bool _closed;

    private BotProcess(string name, int port, IReadOnlyList<string> arguments, string folder, bool ownHome)
    {
        Name = name;
        Port = port;
        Folder = folder;
        _arguments = arguments;
        _home = ownHome ? Directory.CreateDirectory(Path.Combine(folder, "home")).FullName : null;
        OutputFile = Path.Combine(folder, "output.log");
        _output = new StreamWriter(OutputFile, append: true) { AutoFlush = true };
    }

    /// <summary>The instance's name in the test (for messages and the output file's start lines).</summary>
    public string Name { get; }

    public int Port { get; }

    /// <summary>http://127.0.0.1:port/.</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    /// <summary>The instance's working folder (deleted on dispose).</summary>
    public string Folder { get; }

    /// <summary>Standard output and error of every start, one after the other.</summary>
    public string OutputFile { get; }

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    /// <summary>How many times it was killed.</summary>
    public int Kills { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The built bot of the configuration the tests were built in.</summary>
    public static string BotAssembly
    {
        get
        {
            var path = RepositoryPaths.BuiltOutput("bot", "ExportCenter.Bot");
            return File.Exists(path) ? path : throw new InvalidOperationException($"The bot is not built at {path}: build the solution first, in the tests' configuration.");
        }
    }

    /// <summary>
    /// Starts the bot on <paramref name="port"/> (a free one when not given) with <paramref name="settings"/> as command-line
    /// options on top of the tests' raised limits (<see cref="BotApp.RaisedLimits"/>), and waits until it is ready.
    /// </summary>
    public static async Task<BotProcess> StartAsync(string name, IDictionary<string, string?> settings, int? port = null, bool ownHome = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var folder = Directory.CreateTempSubdirectory("exportcenter-process-").FullName;
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Email:PickupFolder"] = Path.Combine(folder, "mail"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in BotApp.RaisedLimits.Concat(settings))
        {
            all[key] = value;
        }

        var chosen = port ?? LoopbackPorts.Free();
        all["Urls"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{chosen}");
        var arguments = all.Where(s => s.Value is not null).Select(s => $"--{s.Key}={s.Value}").ToList();
        var bot = new BotProcess(name, chosen, arguments, folder, ownHome);
        try
        {
            await bot.StartAgainAsync();
        }
        catch
        {
            await bot.DisposeAsync();
            throw;
        }

        return bot;
    }

    /// <summary>SIGKILL to the process (and anything it started), as <c>kill -9</c>; returns once it is gone.</summary>
    public void Kill()
    {
        if (_process is not { } process || process.HasExited)
        {
            throw new InvalidOperationException($"{Name} is not running.");
        }

        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        Kills++;
        Write($"--- {Name}: killed with SIGKILL ---");
    }

    /// <summary>Starts the process again with the same settings and port, and waits until it is ready.</summary>
    public async Task StartAgainAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is still running.");
        }

        _process?.Dispose();
        Starts++;
        Write($"--- {Name}: start {Starts} ---");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(BotAssembly);
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (_home is not null)
        {
            start.Environment["HOME"] = _home;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitUntilReadyAsync(process);
    }

    /// <summary>The output so far (for the tests to read, e.g. the first start's sign-in link; not to print).</summary>
    public string ReadOutput()
    {
        lock (_outputGate)
        {
            using var reader = new StreamReader(new FileStream(OutputFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return reader.ReadToEnd();
        }
    }

    public HttpClient CreateHttpClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = BaseAddress,
        };

    public async ValueTask DisposeAsync()
    {
        if (_process is { } process)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        lock (_outputGate)
        {
            _closed = true;
            _output.Dispose();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }

    private async Task WaitUntilReadyAsync(Process process)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit(); // the output's last lines
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode} before it was ready. The end of its output (start-up logs, no chat text):{Environment.NewLine}{Tail()}");
            }

            try
            {
                using var health = await http.GetAsync("healthz");
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (deadline.Elapsed > StartPatience)
            {
                throw new TimeoutException($"{Name} was not ready within {StartPatience.TotalSeconds:0} s. The end of its output (start-up logs, no chat text):{Environment.NewLine}{Tail()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>The last lines of the output, for a start that failed.</summary>
    private string Tail() => string.Join(Environment.NewLine, ReadOutput().Split('\n').TakeLast(30));

    private void Write(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            if (!_closed)
            {
                _output.WriteLine(line);
            }
        }
    }
}

/// <summary>Free TCP ports on 127.0.0.1, for servers that must be told their port before they start.</summary>
public static class LoopbackPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
