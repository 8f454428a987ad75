namespace ExportCenter.Bot.Channels.BotFramework;

/// <summary>
/// The logger the Bot Framework SDK's adapters get: only their warnings and errors pass. Its information
/// messages trace every send with ids the posting client chose ("Sending activity. ReplyToId: ...", conversation
/// ids), which is client text in the log at the default level.
/// </summary>
public sealed class SdkLogFilter(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
