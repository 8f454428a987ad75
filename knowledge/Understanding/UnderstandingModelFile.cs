using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using KB = ExportCenter.Knowledge.KnowledgeBase;

namespace ExportCenter.Knowledge.Understanding;

/// <summary>
/// A trained <see cref="UnderstandingModel"/> on disk, so that a start trains only when the knowledge base (or the code
/// that trains) changed. The file holds the model's key, its data and a SHA-256 of the data; a file whose key is another
/// one was trained from something else, and a file that is cut short or altered fails its checksum: both are passed
/// over and replaced. Files are written to a temporary name of their own beside the target, flushed to disk and moved
/// over it, so a reader sees the old file or the new one, never half of one; two processes that start at once on a
/// cold cache both train, and both move a whole file in place (the same model, since training is deterministic).
/// </summary>
public static class UnderstandingModelFile
{
    /// <summary>The file name the build writes next to the binaries and the bot caches under data/.</summary>
    public const string FileName = "understanding.model";

    private static readonly byte[] Magic = "ECUM"u8.ToArray();
    private const int KeyBytes = 32;
    private const int HeaderBytes = 4 + sizeof(int) + KeyBytes + sizeof(long);
    private const int ChecksumBytes = 32;

    /// <summary>
    /// The model for this knowledge base: read from the first of <paramref name="files"/> that holds it, else trained
    /// and written to <paramref name="cacheFile"/> (when given). A cache that cannot be written is reported, not thrown:
    /// the model works all the same.
    /// </summary>
    /// <param name="knowledge">The loaded knowledge base.</param>
    /// <param name="files">Where a trained model may be, in order (e.g. the one the build wrote, then the cache).</param>
    /// <param name="cacheFile">Where to write the model when it had to be trained, or null to write nothing.</param>
    public static UnderstandingModelLoad LoadOrTrain(KB.KnowledgeBase knowledge, IEnumerable<string> files, string? cacheFile)
    {
        ArgumentNullException.ThrowIfNull(knowledge);
        ArgumentNullException.ThrowIfNull(files);
        var key = UnderstandingModel.KeyFor(knowledge);
        var passedOver = new List<ModelFileRead>();
        foreach (var file in files.Distinct(StringComparer.Ordinal))
        {
            var read = Read(file, key);
            if (read.Model is not null)
            {
                return new UnderstandingModelLoad(read.Model, file, passedOver, WrittenTo: null, WriteError: null);
            }

            if (read.Status != ModelFileStatus.Missing)
            {
                passedOver.Add(read);
            }
        }

        var model = UnderstandingModel.Train(knowledge);
        if (cacheFile is null)
        {
            return new UnderstandingModelLoad(model, ReadFrom: null, passedOver, WrittenTo: null, WriteError: null);
        }

        try
        {
            Write(model, cacheFile);
            return new UnderstandingModelLoad(model, ReadFrom: null, passedOver, cacheFile, WriteError: null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new UnderstandingModelLoad(model, ReadFrom: null, passedOver, WrittenTo: null, ex);
        }
    }

    /// <summary>Writes the model to <paramref name="path"/> atomically (a temporary file beside it, then moved over it).</summary>
    public static void Write(UnderstandingModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            WritePayload(writer, model);
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = $"{full}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            using (var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(UnderstandingModel.FormatVersion);
                writer.Write(Convert.FromHexString(model.Key));
                writer.Write(payload.Length);
                writer.Write(payload.GetBuffer(), 0, (int)payload.Length);
                writer.Write(SHA256.HashData(payload.GetBuffer().AsSpan(0, (int)payload.Length)));
                writer.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Reads the model in <paramref name="path"/> if it was trained with <paramref name="key"/> and is whole.</summary>
    public static ModelFileRead Read(string path, string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        try
        {
            // FileShare.Delete: another process's start may move a new model over this one while it is read.
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
            Span<byte> header = stackalloc byte[HeaderBytes];
            if (file.Length < HeaderBytes + ChecksumBytes || file.ReadAtLeast(header, HeaderBytes, throwOnEndOfStream: false) < HeaderBytes || !header[..Magic.Length].SequenceEqual(Magic))
            {
                return new ModelFileRead(path, ModelFileStatus.Damaged, null, "not a model file");
            }

            var version = BinaryPrimitives.ReadInt32LittleEndian(header[Magic.Length..]);
            var fileKey = Convert.ToHexString(header.Slice(Magic.Length + sizeof(int), KeyBytes));
            if (version != UnderstandingModel.FormatVersion || !string.Equals(fileKey, key, StringComparison.OrdinalIgnoreCase))
            {
                return new ModelFileRead(path, ModelFileStatus.OtherKnowledge, null, "trained from another knowledge base or by other code");
            }

            var length = BinaryPrimitives.ReadInt64LittleEndian(header[(Magic.Length + sizeof(int) + KeyBytes)..]);
            if (length != file.Length - HeaderBytes - ChecksumBytes)
            {
                return new ModelFileRead(path, ModelFileStatus.Damaged, null, "its length is not the one it was written with");
            }

            // The checksum is checked before the data is parsed, so that a damaged file never reaches the parser; the
            // second pass reads from the page cache. No count in the data can ask for more memory than the file holds.
            if (!ChecksumHolds(file, length))
            {
                return new ModelFileRead(path, ModelFileStatus.Damaged, null, "its checksum does not match");
            }

            file.Position = HeaderBytes;
            using var payload = new PayloadStream(file, length);
            using var reader = new BinaryReader(payload, Encoding.UTF8);
            var model = ReadPayload(reader, fileKey);
            return payload.Remaining == 0
                ? new ModelFileRead(path, ModelFileStatus.Read, model, null)
                : new ModelFileRead(path, ModelFileStatus.Damaged, null, "it holds more than a model");
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new ModelFileRead(path, ModelFileStatus.Missing, null, null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or FormatException or OverflowException)
        {
            // EndOfStreamException is an IOException: a count that runs past the end of the data.
            return new ModelFileRead(path, ModelFileStatus.Damaged, null, ex.Message);
        }
    }

    /// <summary>Whether the SHA-256 of the <paramref name="length"/> bytes after the header is the one the file ends with.</summary>
    private static bool ChecksumHolds(FileStream file, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var block = new byte[1 << 16];
        file.Position = HeaderBytes;
        for (var left = length; left > 0;)
        {
            var read = file.Read(block, 0, (int)Math.Min(block.Length, left));
            if (read == 0)
            {
                return false;
            }

            hash.AppendData(block, 0, read);
            left -= read;
        }

        Span<byte> checksum = stackalloc byte[ChecksumBytes];
        file.ReadExactly(checksum);
        return hash.GetHashAndReset().AsSpan().SequenceEqual(checksum);
    }

    // Models the other-language variants share with the first ones (when the knowledge base has no terms or
    // phrasings in other languages) are written once, with a flag.
    private static void WritePayload(BinaryWriter writer, UnderstandingModel model)
    {
        var sameTopics = ReferenceEquals(model.OtherTopics, model.Topics);
        var sameIntent = ReferenceEquals(model.OtherIntent, model.Intent);
        var sameExamples = ReferenceEquals(model.OtherExamples, model.TopicExamples);
        writer.Write(sameTopics);
        writer.Write(sameIntent);
        writer.Write(sameExamples);
        model.Topics.Write(writer);
        model.Intent.Write(writer);
        model.TopicExamples.Write(writer);
        if (!sameTopics)
        {
            model.OtherTopics.Write(writer);
        }

        if (!sameIntent)
        {
            model.OtherIntent.Write(writer);
        }

        if (!sameExamples)
        {
            model.OtherExamples.Write(writer);
        }
    }

    private static UnderstandingModel ReadPayload(BinaryReader reader, string key)
    {
        var sameTopics = reader.ReadBoolean();
        var sameIntent = reader.ReadBoolean();
        var sameExamples = reader.ReadBoolean();
        var topics = SoftmaxClassifier.Read(reader);
        var intent = SoftmaxClassifier.Read(reader);
        var examples = SimilarityIndex.Read(reader);
        var otherTopics = sameTopics ? topics : SoftmaxClassifier.Read(reader);
        var otherIntent = sameIntent ? intent : SoftmaxClassifier.Read(reader);
        var otherExamples = sameExamples ? examples : SimilarityIndex.Read(reader);
        if (!otherTopics.Labels.SequenceEqual(topics.Labels, StringComparer.Ordinal) || !otherIntent.Labels.SequenceEqual(intent.Labels, StringComparer.Ordinal))
        {
            throw new InvalidDataException("The models' labels do not agree.");
        }

        return new UnderstandingModel(key, topics, otherTopics, intent, otherIntent, examples, otherExamples);
    }
}

/// <summary>What was found in a model file.</summary>
public enum ModelFileStatus
{
    /// <summary>The file holds the model asked for.</summary>
    Read,

    /// <summary>There is no such file.</summary>
    Missing,

    /// <summary>A whole model, trained from another knowledge base or by other code: stale, not broken.</summary>
    OtherKnowledge,

    /// <summary>Not a model file, cut short or altered (its checksum or its contents do not hold).</summary>
    Damaged,
}

/// <summary>The outcome of reading one model file: the model when <see cref="Status"/> is <see cref="ModelFileStatus.Read"/>, else why not.</summary>
public sealed record ModelFileRead(string File, ModelFileStatus Status, UnderstandingModel? Model, string? Problem);

/// <summary>How <see cref="UnderstandingModelFile.LoadOrTrain"/> got the model.</summary>
/// <param name="Model">The model.</param>
/// <param name="ReadFrom">The file it was read from, or null when it was trained.</param>
/// <param name="PassedOver">Files that held a model but not this one, or a damaged one.</param>
/// <param name="WrittenTo">The cache file it was written to after training, or null.</param>
/// <param name="WriteError">Why the cache file could not be written, or null.</param>
public sealed record UnderstandingModelLoad(UnderstandingModel Model, string? ReadFrom, IReadOnlyList<ModelFileRead> PassedOver, string? WrittenTo, Exception? WriteError);

/// <summary>Guards of the model file's reader.</summary>
internal static class ModelData
{
    /// <summary>Reads a count of items of <paramref name="itemBytes"/> bytes each and checks that the data can hold it.</summary>
    public static int ReadCount(BinaryReader reader, int max, int itemBytes)
    {
        var count = reader.ReadInt32();
        var remaining = reader.BaseStream is PayloadStream payload ? payload.Remaining : long.MaxValue;
        return count >= 0 && count <= max && (long)count * itemBytes <= remaining
            ? count
            : throw new InvalidDataException($"A count of {count} is more than the model data holds.");
    }

    /// <summary>Checks that the data still holds <paramref name="bytes"/> bytes before they are allocated.</summary>
    public static void EnsureAvailable(BinaryReader reader, long bytes)
    {
        if (reader.BaseStream is PayloadStream payload && bytes > payload.Remaining)
        {
            throw new InvalidDataException("The model data is shorter than its counts say.");
        }
    }

    /// <summary>Writes floats as little-endian IEEE 754, as <see cref="BinaryWriter.Write(float)"/> does, in one block where the machine is little-endian.</summary>
    public static void WriteFloats(BinaryWriter writer, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            writer.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        foreach (var value in values)
        {
            writer.Write(value);
        }
    }

    /// <summary>Reads what <see cref="WriteFloats"/> wrote into <paramref name="values"/>.</summary>
    public static void ReadFloats(BinaryReader reader, float[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            // BinaryReader reads no further ahead than the values it returns, so its stream continues right here.
            reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadSingle();
        }
    }
}

/// <summary>The model data of a file: at most its length, read in blocks, with the count of what is left for the reader's guards.</summary>
internal sealed class PayloadStream(Stream file, long length) : Stream
{
    private readonly byte[] _block = new byte[1 << 16];
    private readonly long _length = length;
    private int _start;
    private int _end;
    private long _unread = length;

    /// <summary>The bytes of the data not yet returned.</summary>
    public long Remaining => _unread + (_end - _start);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _length - Remaining;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_start == _end)
        {
            if (_unread == 0)
            {
                return 0;
            }

            _start = 0;
            _end = file.Read(_block, 0, (int)Math.Min(_block.Length, _unread));
            if (_end == 0)
            {
                throw new EndOfStreamException("The model data ends early.");
            }

            _unread -= _end;
        }

        var n = Math.Min(buffer.Length, _end - _start);
        _block.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
