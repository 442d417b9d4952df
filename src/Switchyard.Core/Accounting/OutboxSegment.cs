using System.Buffers;

namespace Switchyard.Accounting;

/// <summary>
/// One outbox file of the <see cref="UsageLedger"/>: records appended as JSON lines with one unbuffered <c>write</c> each,
/// held exclusively by this process, counted until the database has them all.
/// </summary>
internal sealed class OutboxSegment
{
    private readonly FileStream _stream;

    private OutboxSegment(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    public int Outstanding { get; set; }

    public long Length { get; private set; }

    public static OutboxSegment Create(string directory)
    {
        var path = System.IO.Path.Combine(directory, $"ledger-{Environment.ProcessId}-{Guid.NewGuid():N}.jsonl");
        var stream = Storage.PrivateFiles.Open(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        return new OutboxSegment(path, stream);
    }

    public void Append(byte[] line)
    {
        // One write() of the line and its newline (the stream is unbuffered): in the OS once this returns, so
        // it survives kill -9; Sync() makes it survive a power loss.
        var buffer = ArrayPool<byte>.Shared.Rent(line.Length + 1);
        line.CopyTo(buffer, 0);
        buffer[line.Length] = (byte)'\n';
        _stream.Write(buffer, 0, line.Length + 1);
        ArrayPool<byte>.Shared.Return(buffer);
        Length += line.Length + 1;
        Outstanding++;
    }

    /// <summary>fsync; safe while other threads append (the handle is ref-counted; a closed segment's records are already in the database).</summary>
    public void Sync()
    {
        try
        {
            _stream.Flush(flushToDisk: true);
        }
        catch (ObjectDisposedException)
        {
            // Closed because every record in it was committed to the database: nothing left to make durable.
        }
    }

    public void Truncate()
    {
        _stream.SetLength(0);
        _stream.Position = 0;
        Length = 0;
    }

    public void Close(bool delete)
    {
        _stream.Dispose();
        if (delete)
        {
            File.Delete(Path);
        }
    }
}
