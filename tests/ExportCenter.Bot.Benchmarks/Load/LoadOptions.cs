using System.Globalization;
using ExportCenter.Bot.Testing;

namespace ExportCenter.Bot.Benchmarks.Load;

/// <summary>The <c>load</c> command's options.</summary>
internal sealed class LoadOptions
{
    public TimeSpan Window { get; private set; } = TimeSpan.FromSeconds(4);

    public IReadOnlyList<int> Connections { get; private set; } = [16, 64, 256];

    /// <summary>
    /// How long each path runs at 16 connections before its first point. The JIT keeps compiling the bot's hot code in
    /// the background for the first seconds of load (tier 0, then instrumented, then optimised), so a point measured
    /// too early shows the JIT, not the bot.
    /// </summary>
    public TimeSpan WarmUp { get; private set; } = TimeSpan.FromSeconds(15);

    /// <summary>Whether the Direct Line rows are measured (the bot and the bare app).</summary>
    public bool DirectLine { get; private set; } = true;

    /// <summary>How many times each target is started on a fresh database (the cold start is the median); the last start takes the load.</summary>
    public int Starts { get; private set; } = 3;

    public HashSet<string> Only { get; } = new(StringComparer.Ordinal);

    public string? BotDll { get; private set; }

    /// <summary>A PostgreSQL connection string whose role may create databases: <c>--postgres</c>, else <see cref="TestDatabase.PostgresVariable"/>.</summary>
    public string? Postgres { get; private set; } = System.Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : null;

    /// <summary>
    /// Whether the bot is also started with no stored model that fits (the first start after a knowledge-base edit:
    /// it trains) and again on the model that start cached, <see cref="Starts"/> times each, without load.
    /// </summary>
    public bool ModelStarts { get; private set; } = true;

    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    public static bool TryParse(IReadOnlyList<string> args, out LoadOptions options, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new LoadOptions();
        problem = null;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--seconds" when double.TryParse(value, CultureInfo.InvariantCulture, out var seconds) && seconds > 0:
                    options.Window = TimeSpan.FromSeconds(seconds);
                    break;
                case "--connections" when value is not null && value.Split(',').All(c => int.TryParse(c, CultureInfo.InvariantCulture, out var n) && n > 0):
                    options.Connections = [.. value.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
                    break;
                case "--warmup" when double.TryParse(value, CultureInfo.InvariantCulture, out var warmUp) && warmUp >= 0:
                    options.WarmUp = TimeSpan.FromSeconds(warmUp);
                    break;
                case "--paths" when value is "messages" or "messages,directline" or "directline,messages":
                    options.DirectLine = value != "messages";
                    break;
                case "--starts" when int.TryParse(value, CultureInfo.InvariantCulture, out var starts) && starts > 0:
                    options.Starts = starts;
                    break;
                case "--only" when value is not null:
                    options.Only.UnionWith(value.Split(',', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "--postgres" when !string.IsNullOrWhiteSpace(value):
                    options.Postgres = value;
                    break;
                case "--model-starts" when value is "on" or "off":
                    options.ModelStarts = value == "on";
                    break;
                case "--bot" when value is not null:
                    options.BotDll = Path.GetFullPath(value);
                    break;
                case "--env" when value is not null && value.IndexOf('=', StringComparison.Ordinal) > 0:
                    options.Environment[value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..];
                    break;
                default:
                    problem = $"Not an option, or a wrong value: {args[i]} {value}";
                    return false;
            }

            i++;
        }

        return true;
    }
}
