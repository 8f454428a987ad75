using ExportCenter.Bot.Storage;
using Microsoft.EntityFrameworkCore;

namespace ExportCenter.Bot.Privacy;

/// <summary>
/// Watches the marker file that <c>privacy erase</c> writes beside the SQLite file, and empties this instance's state cache
/// when it changes: the command runs in another process, and the cache would otherwise serve the erased state.
/// </summary>
public sealed class ErasureMarkerWatcher(StateItemCache cache, IDbContextFactory<BotDbContext> dbFactory) : IHostedService, IDisposable
{
    private FileSystemWatcher? _watcher;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var db = dbFactory.CreateDbContext();
        var path = Path.GetFullPath(db.Database.GetDbConnection().DataSource);
        var marker = PrivacyService.MarkerPath(path);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(marker)!, Path.GetFileName(marker))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => cache.Clear();
        _watcher.Created += (_, _) => cache.Clear();
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watcher?.Dispose();
        _watcher = null;
        return Task.CompletedTask;
    }

    public void Dispose() => _watcher?.Dispose();
}
