using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ExportCenter.Bot.Testing;

/// <summary>One log entry as the host wrote it: its category, level, event id and formatted message.</summary>
public sealed record RecordedLogEntry(string Category, LogLevel Level, EventId EventId, string Message);

/// <summary>
/// A logger provider that keeps every entry the host's logging filters let through, so a test can check what
/// a turn logs (add it with <c>services.AddSingleton&lt;ILoggerProvider&gt;(provider)</c>).
/// </summary>
public sealed class RecordingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<RecordedLogEntry> _entries = new();

    /// <summary>The entries so far, in the order they were written.</summary>
    public IReadOnlyList<RecordedLogEntry> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new RecordingLogger(categoryName, _entries);

    /// <summary>Forgets the entries so far (those of the host's start, say).</summary>
    public void Clear() => _entries.Clear();

    public void Dispose()
    {
    }

    private sealed class RecordingLogger(string category, ConcurrentQueue<RecordedLogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            entries.Enqueue(new RecordedLogEntry(category, logLevel, eventId, formatter(state, exception)));
        }
    }
}
