using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExportCenter.Bot.Tests.Fuzzing;

/// <summary>
/// A logger provider that reads every log entry of the host, down to Debug, and keeps those that carry client
/// text (the generator's <see cref="ActivityMutations.Canary"/>) in their message, state or exception.
/// </summary>
public sealed class CanaryLogSink : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _leaks = new();
    private readonly ConcurrentQueue<string> _errors = new();

    /// <summary>Log entries (category, level, first characters) that held client text.</summary>
    public IReadOnlyCollection<string> Leaks => _leaks;

    /// <summary>The first log entries at Error or above (a failed turn, a failed delivery), for the test's output.</summary>
    public IReadOnlyCollection<string> Errors => _errors;

    /// <summary>Adds the sink to a host's services, reading Debug and above whatever the host's own filter says.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.AddSingleton<ILoggerProvider>(this);
        services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(typeof(CanaryLogSink).FullName, null, LogLevel.Debug, null)));
    }

    public ILogger CreateLogger(string categoryName) => new Reader(categoryName, _leaks, _errors);

    public void Dispose()
    {
    }

    private sealed class Reader(string category, ConcurrentQueue<string> leaks, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception) + " " + exception;
            var entry = $"{category} {logLevel} {eventId.Id}: {(text.Length > 300 ? text[..300] : text)}";
            if (text.Contains(ActivityMutations.Canary, StringComparison.Ordinal) && leaks.Count < 20)
            {
                leaks.Enqueue(entry);
            }

            if (logLevel >= LogLevel.Error && errors.Count < 20)
            {
                errors.Enqueue(entry);
            }
        }
    }
}
