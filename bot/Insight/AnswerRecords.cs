using System.Threading.Channels;
using ExportCenter.Bot.Storage;
using ExportCenter.Dialogs.Conversation;
using ExportCenter.Knowledge.KnowledgeBase;
using ExportCenter.Knowledge.Privacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace ExportCenter.Bot.Insight;

/// <summary>
/// One decision of the bot on a company message (the answer audit): no message text, only what was decided and why.
/// Retention deletes it after <c>Retention:AnswerRecords</c>.
/// </summary>
public sealed class AnswerRecord
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public required string ChannelId { get; set; }

    public required string ConversationId { get; set; }

    /// <summary>answer, clarify, out_of_scope, handoff, smalltalk or status.</summary>
    public required string Action { get; set; }

    /// <summary>How the reply was chosen (<see cref="AnswerDecisions"/>).</summary>
    public required string Decision { get; set; }

    public string? TopicId { get; set; }

    public string? Facet { get; set; }

    public string? OrganisationId { get; set; }

    public required string Language { get; set; }

    /// <summary>The knowledge base's revision (<see cref="KnowledgeBase.Revision"/>) the answer came from.</summary>
    public required string KnowledgeRevision { get; set; }

    public float? Confidence { get; set; }

    public string? SecondTopicId { get; set; }

    public float? SecondScore { get; set; }
}

/// <summary>
/// A question the bot could not answer, with its personal data masked: the one place where a company's words are kept
/// for insight. Retention deletes it after <c>Retention:UnansweredQuestions</c>; the privacy notice says so.
/// </summary>
public sealed class UnansweredQuestion
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    /// <summary>Kept so that the company's erasure finds it; never shown.</summary>
    public required string ChannelId { get; set; }

    public required string ConversationId { get; set; }

    /// <summary>out_of_scope, clarify or not_helped.</summary>
    public required string Reason { get; set; }

    public string? TopicId { get; set; }

    public required string Language { get; set; }

    /// <summary>The question with email addresses, phone numbers and organisation numbers masked.</summary>
    public required string Text { get; set; }
}

/// <summary>
/// Keeps the answer audit and the unanswered questions without slowing the turn: the turn only queues them, and
/// <see cref="AnswerRecordWriter"/> masks and writes them in batches. A full queue (the database is down for a long
/// time) drops the newest and counts them; a stop writes what is queued first.
/// </summary>
public sealed partial class AnswerRecordBuffer(TimeProvider time, ILogger<AnswerRecordBuffer> logger) : IAnswerRecords
{
    /// <summary>How many records may wait for the writer.</summary>
    public const int Capacity = 20_000;

    private readonly Channel<object> _queue = Channel.CreateBounded<object>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private long _dropped;
    private int _pendingFlushes;

    internal ChannelReader<object> Reader => _queue.Reader;

    /// <summary>Released by <see cref="FlushAsync"/>, so the writer does not wait out its interval.</summary>
    internal SemaphoreSlim Wake { get; } = new(0);

    /// <summary>Flushes asked for and not yet written.</summary>
    internal int PendingFlushes => Volatile.Read(ref _pendingFlushes);

    internal void Flushed() => Interlocked.Decrement(ref _pendingFlushes);

    public void Record(AnswerRecordEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Enqueue((time.GetUtcNow(), entry));
    }

    public void RecordUnanswered(UnansweredQuestionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        Enqueue((time.GetUtcNow(), entry));
    }

    /// <summary>Completes when everything queued before the call is written (tests, and the writer's stop).</summary>
    public Task FlushAsync()
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _pendingFlushes);
        if (!_queue.Writer.TryWrite(written))
        {
            Interlocked.Decrement(ref _pendingFlushes);
            written.SetResult();
        }

        Wake.Release();
        return written.Task;
    }

    private void Enqueue(object item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            var dropped = Interlocked.Increment(ref _dropped);
            if ((dropped & (dropped - 1)) == 0)
            {
                // 1, 2, 4, 8, ...: the log shows the trouble without a line per turn.
                LogDropped(logger, dropped);
            }
        }
    }

    [LoggerMessage(EventId = 6301, Level = LogLevel.Warning, Message = "The answer audit's queue is full: {Dropped} records were not kept.")]
    private static partial void LogDropped(ILogger logger, long dropped);
}

/// <summary>Writes the queued answer records and unanswered questions in batches, masking the questions first.</summary>
public sealed partial class AnswerRecordWriter(AnswerRecordBuffer queue, IDbContextFactory<BotDbContext> dbFactory, KnowledgeBase knowledge, IPiiMasker masker, ILogger<AnswerRecordWriter> logger) : BackgroundService
{
    private const int BatchSize = 256;

    /// <summary>
    /// How long the writer gathers records before it writes them: one SQLite write transaction a second, not one a turn
    /// (each would take the file's write lock from the turns' own state writes).
    /// </summary>
    public static TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest question kept (the column's size); longer ones are cut.</summary>
    public const int MaxTextLength = 1000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var reader = queue.Reader;
        var batch = new List<object>(BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                if (reader.Count < BatchSize && queue.PendingFlushes == 0)
                {
                    await queue.Wake.WaitAsync(FlushInterval, stoppingToken);
                }

                await WriteAvailableAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The host stops: what the turns queued is still written.
        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await WriteAvailableAsync(batch, last.Token);
    }

    /// <summary>
    /// Writes what is queued, batch by batch. A batch the host's stop cancelled stays in <paramref name="batch"/>, and the
    /// last pass writes it first.
    /// </summary>
    private async Task WriteAvailableAsync(List<object> batch, CancellationToken cancellationToken)
    {
        var reader = queue.Reader;
        while (true)
        {
            var flushes = new List<TaskCompletionSource>();
            while (batch.Count < BatchSize && reader.TryRead(out var item))
            {
                if (item is TaskCompletionSource flush)
                {
                    queue.Flushed();
                    flushes.Add(flush);
                    break;
                }

                batch.Add(item);
            }

            if (batch.Count == 0 && flushes.Count == 0)
            {
                return;
            }

            try
            {
                await WriteAsync(batch, cancellationToken);
                batch.Clear();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The records are lost, not the turn: the audit is a record of decisions, the company had its answer.
                LogWriteFailed(logger, ex, batch.Count);
                batch.Clear();
            }
            finally
            {
                flushes.ForEach(f => f.TrySetResult());
            }
        }
    }

    private async Task WriteAsync(List<object> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var records = new List<AnswerRecord>(batch.Count);
        var questions = new List<UnansweredQuestion>();
        foreach (var item in batch)
        {
            switch (item)
            {
                case (DateTimeOffset at, AnswerRecordEntry e):
                    records.Add(new AnswerRecord
                    {
                        At = at,
                        ChannelId = Cut(e.ChannelId, 64),
                        ConversationId = Cut(e.ConversationId, 256),
                        Action = e.Action,
                        Decision = e.Decision,
                        TopicId = e.TopicId,
                        Facet = e.Facet,
                        OrganisationId = e.OrganisationId,
                        Language = e.Language,
                        KnowledgeRevision = knowledge.Revision,
                        Confidence = e.Confidence,
                        SecondTopicId = e.SecondTopicId,
                        SecondScore = e.SecondScore,
                    });
                    break;
                case (DateTimeOffset at, UnansweredQuestionEntry q):
                    string masked;
                    try
                    {
                        masked = await masker.MaskAsync(q.Text, q.Language, cancellationToken);
                    }
                    catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Unmasked text is never kept; the batch's other records are.
                        LogMaskFailed(logger, ex);
                        continue;
                    }

                    questions.Add(new UnansweredQuestion
                    {
                        At = at,
                        ChannelId = Cut(q.ChannelId, 64),
                        ConversationId = Cut(q.ConversationId, 256),
                        Reason = q.Reason,
                        TopicId = q.TopicId,
                        Language = q.Language,
                        Text = Cut(masked, MaxTextLength),
                    });
                    break;
            }
        }

        // One transaction and one prepared insert per table: a record a turn costs the writer a few microseconds, where
        // EF's change tracking and SQL generation cost it far more than the turn's own work.
        await db.Database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await db.Database.GetDbConnection().BeginTransactionAsync(cancellationToken);
        await InsertAsync(db, transaction, records, cancellationToken);
        await InsertAsync(db, transaction, questions, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Inserts rows with a command built from the EF model (table, columns, the provider's value conversions), so it
    /// stays what the migrations made on both databases; the generated key is left to the database.
    /// </summary>
    private static async Task InsertAsync<T>(BotDbContext db, System.Data.Common.DbTransaction transaction, List<T> rows, CancellationToken cancellationToken)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var properties = entity.GetProperties().Where(p => !p.IsPrimaryKey()).ToList();
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table.Name)} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}) " +
            $"VALUES ({string.Join(", ", properties.Select((_, i) => "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})";
        var bound = properties.Select((p, i) =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            command.Parameters.Add(parameter);
            return (Read: p.PropertyInfo!, Parameter: parameter, p.GetTypeMapping().Converter);
        }).ToList();
        foreach (var row in rows)
        {
            foreach (var (read, parameter, converter) in bound)
            {
                var value = read.GetValue(row);
                parameter.Value = (value is not null && converter is not null ? converter.ConvertToProvider(value) : value) ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>At most <paramref name="length"/> characters, never half a surrogate pair.</summary>
    private static string Cut(string text, int length) =>
        text.Length <= length ? text : text[..(char.IsHighSurrogate(text[length - 1]) ? length - 1 : length)];

    [LoggerMessage(EventId = 6302, Level = LogLevel.Error, Message = "{Count} answer records could not be written.")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 6303, Level = LogLevel.Warning, Message = "An unanswered question could not be masked and was not kept.")]
    private static partial void LogMaskFailed(ILogger logger, Exception exception);
}
