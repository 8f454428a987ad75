using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace ExportCenter.Bot.Testing;

/// <summary>
/// Debian's nginx as the reverse proxy in front of several bot instances, as the README's "Running behind a reverse
/// proxy" sets it up: a round-robin upstream, HTTP/1.1 to the bot with the WebSocket upgrade passed on,
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>, and an access log of paths without their query (the stream URL
/// carries its token there). Its configuration, pid file, logs and temp folders live in a folder of its own; it runs in
/// the foreground as the test's child (<c>daemon off</c>) and is killed with its workers on dispose.
/// </summary>
/// <remarks>
/// Unlike the README's example it listens on plain http on a loopback port and passes the <c>Host</c> header on with that
/// port (<c>$http_host</c>; <c>$host</c> drops it), and its access log names the instance that served each request. Run
/// as root, its workers run as root too (the <c>user</c> directive), so they can write the test's folder; otherwise they
/// run as the current user, and the directive is left out.
/// </remarks>
public sealed class NginxProxy : IAsyncDisposable
{
    public const string PathVariable = "NGINX_PATH";
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);
    private readonly Process _process;

    private NginxProxy(Process process, string folder, int port)
    {
        _process = process;
        Folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>http://127.0.0.1:port/, what the browsers open.</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Port}/"));

    public string Folder { get; }

    public string AccessLogFile => Path.Combine(Folder, "access.log");

    /// <summary>
    /// Writes the configuration for <paramref name="upstreams"/> (the instances' base addresses), starts nginx on
    /// <paramref name="port"/> (chosen before the instances start, since their public URL names it) and waits until
    /// <c>/healthz</c> answers 200 through it.
    /// </summary>
    public static async Task<NginxProxy> StartAsync(int port, IReadOnlyList<Uri> upstreams)
    {
        ArgumentNullException.ThrowIfNull(upstreams);
        var executable = Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : "/usr/sbin/nginx";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"nginx not found at {executable}: run the README's test script, which installs Debian's nginx package (or set {PathVariable}).");
        }

        var folder = Directory.CreateTempSubdirectory("exportcenter-nginx-").FullName;
        var config = Path.Combine(folder, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(folder, port, upstreams));
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-p", folder, "-c", config, "-e", Path.Combine(folder, "error.log"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx could not be started.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var proxy = new NginxProxy(process, folder, port);
        try
        {
            await proxy.WaitUntilReadyAsync();
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }

        return proxy;
    }

    /// <summary>The access log so far: one line per request, with the instance that served it.</summary>
    public IReadOnlyList<ProxiedRequest> ReadAccessLog()
    {
        using var reader = new StreamReader(new FileStream(AccessLogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        var lines = new List<ProxiedRequest>();
        while (reader.ReadLine() is { } line)
        {
            // method path status upstream (see the log format below); a failed attempt on one upstream and the next
            // one tried are both in $upstream_addr, separated by ", ".
            var fields = line.Split(' ', 4);
            if (fields.Length == 4)
            {
                lines.Add(new ProxiedRequest(fields[0], fields[1], int.Parse(fields[2], CultureInfo.InvariantCulture), fields[3]));
            }
        }

        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp folder is cleaned by the OS.
        }
    }

    private static string Configuration(string folder, int port, IReadOnlyList<Uri> upstreams)
    {
        var servers = string.Concat(upstreams.Select(u => $"        server {u.Host}:{u.Port};\n"));
        var user = Environment.UserName;
        var asRoot = Environment.IsPrivilegedProcess ? $"user {user};\n" : string.Empty;
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {{asRoot}}worker_processes 1;
            pid {{folder}}/nginx.pid;
            error_log {{folder}}/error.log warn;

            events {
                worker_connections 512;
            }

            http {
                client_body_temp_path {{folder}}/client_body;
                proxy_temp_path {{folder}}/proxy;
                fastcgi_temp_path {{folder}}/fastcgi;
                uwsgi_temp_path {{folder}}/uwsgi;
                scgi_temp_path {{folder}}/scgi;

                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      close;
                }

                # The path without its query: the Direct Line stream URL carries its token in ?t=.
                log_format instances '$request_method $uri $status $upstream_addr';

                upstream exportcenter {
            {{servers}}    }

                server {
                    listen 127.0.0.1:{{port}};
                    access_log {{folder}}/access.log instances;
                    client_max_body_size 1m;

                    location / {
                        proxy_pass http://exportcenter;
                        proxy_http_version 1.1;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $remote_addr;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_read_timeout 120s;
                    }
                }
            }

            """);
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                var errors = File.Exists(Path.Combine(Folder, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(Folder, "error.log"), Encoding.UTF8) : "(no error log)";
                throw new InvalidOperationException($"nginx exited with code {_process.ExitCode}: {errors}");
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
                throw new TimeoutException($"nginx did not pass /healthz on within {StartPatience.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}

/// <summary>One line of the proxy's access log: the request's method and path (no query), its status, and the instance(s) that served it.</summary>
public sealed record ProxiedRequest(string Method, string Path, int Status, string Upstream);
