using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>
/// A server started from its built output (<c>dotnet X.dll</c>) on a free loopback port: how long it took from the
/// process start to the first 200 on <c>/healthz</c>, and its resident memory. Disposing kills it.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Process start to the first 200 on /healthz.</summary>
    public TimeSpan ColdStart { get; private set; }

    /// <summary>The resident set size now (VmRSS), in bytes.</summary>
    public long ResidentBytes
    {
        get
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {_process.ExitCode} (or was ended by another process):{Environment.NewLine}{Output()}");
            }

            var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line["VmRSS:".Length..].Replace("kB", string.Empty, StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) * 1024;
        }
    }

    /// <summary>The CPU time the process has used so far, user and system, all threads.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(string dll, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, HttpClient probe)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(probe);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"{dll} is not built: build the solution with -c Release first.", dll);
        }

        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}/");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseAddress.AbsoluteUri.TrimEnd('/'));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var watch = Stopwatch.StartNew();
        var server = new ServerProcess(Process.Start(info)!, baseAddress);
        server._process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var health = new Uri(baseAddress, "healthz");
        while (true)
        {
            if (server._process.HasExited || watch.Elapsed > StartLimit)
            {
                var output = server.Output();
                await server.DisposeAsync();
                throw new InvalidOperationException($"{Path.GetFileName(dll)} did not become healthy:{Environment.NewLine}{output}");
            }

            try
            {
                using var answer = await probe.GetAsync(health);
                if (answer.StatusCode == HttpStatusCode.OK)
                {
                    server.ColdStart = watch.Elapsed;
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(10);
        }
    }

    /// <summary>The last lines the process wrote.</summary>
    public string Output()
    {
        lock (_lastLines)
        {
            return string.Join(Environment.NewLine, _lastLines);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        // Stack frames would push the message that says what failed out of the kept lines.
        if (line is null || line.TrimStart().StartsWith("at ", StringComparison.Ordinal))
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
