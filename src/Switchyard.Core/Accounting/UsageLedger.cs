using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Switchyard.Accounting;

/// <summary>
/// Writes every request's record durably and cheaply. <see cref="RecordAsync"/> costs the record, appends it as
/// one JSON line to this process's outbox file (one <c>write</c>, so it is in the operating system when the call
/// returns; fsync'ed too when asked) and queues it; a background writer inserts queued records into the database
/// in batches and then trims the outbox. A process killed at any point loses nothing: on start, outbox files left
/// by dead processes are replayed (inserts are idempotent by request id) and removed.
/// </summary>
public sealed class UsageLedger : IAsyncDisposable
{
    private const long MaxSegmentBytes = 4 * 1024 * 1024;
    private const long TruncateAtBytes = 256 * 1024;
    private const int MaxBatch = 500;

    // The writer waits this long after the first record of a batch, so that one transaction carries many records
    // (a transaction per record costs more than the request it records). The records are safe in the outbox meanwhile.
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(10);

    private readonly LedgerStore _store;
    private readonly PriceTable _prices;
    private readonly string _outboxDirectory;
    private readonly bool _fsync;
    private readonly Action<Exception>? _onError;
    private readonly Channel<(RequestRecord Record, OutboxSegment Segment)> _queue =
        Channel.CreateUnbounded<(RequestRecord, OutboxSegment)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private readonly List<OutboxSegment> _sealed = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _syncGate = new();
    private readonly HashSet<OutboxSegment> _unsynced = [];
    private OutboxSegment? _current;
    private Task? _writer;
    private Task? _syncing;
    private long _enqueued;
    private long _committed;
    private long _appended;
    private long _durable;

    /// <summary>Creates a ledger writing to <paramref name="store"/>, with its outbox in <paramref name="outboxDirectory"/>.</summary>
    /// <param name="store">The database table.</param>
    /// <param name="prices">Costs each record.</param>
    /// <param name="outboxDirectory">Where outbox files live (created if missing); shared by processes on the same data directory.</param>
    /// <param name="fsync">
    /// Whether <see cref="RecordAsync"/> also waits for an fsync (group-committed), so that a record survives a power loss
    /// or a kernel crash, not only the death of the process.
    /// </param>
    /// <param name="onError">Called when a background write fails (it is retried).</param>
    public UsageLedger(LedgerStore store, PriceTable prices, string outboxDirectory, bool fsync = false, Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentException.ThrowIfNullOrEmpty(outboxDirectory);
        _store = store;
        _prices = prices;
        _outboxDirectory = outboxDirectory;
        _fsync = fsync;
        _onError = onError;
    }

    /// <summary>The table behind the ledger.</summary>
    public LedgerStore Store => _store;

    /// <summary>Records queued but not yet in the database.</summary>
    public long Pending => Interlocked.Read(ref _enqueued) - Interlocked.Read(ref _committed);

    /// <summary>Replays outbox files left by dead processes, opens this process's outbox and starts the writer. Returns the records replayed.</summary>
    public async Task<int> StartAsync(CancellationToken cancellationToken = default)
    {
        Storage.PrivateFiles.CreateDirectory(_outboxDirectory);
        var replayed = 0;
        foreach (var path in Directory.EnumerateFiles(_outboxDirectory, "ledger-*.jsonl"))
        {
            replayed += await ReplayAsync(path, cancellationToken);
        }

        lock (_gate)
        {
            _current = OutboxSegment.Create(_outboxDirectory);
        }

        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
        return replayed;
    }

    /// <summary>
    /// Costs <paramref name="record"/> from the price table (sets <see cref="RequestRecord.CostUsd"/>) and writes it
    /// durably to the outbox before returning; the database insert follows in the background.
    /// </summary>
    /// <exception cref="InvalidOperationException">The ledger was not started.</exception>
    /// <remarks>
    /// The append (one <c>write</c>) happens under the ledger's lock; the fsync does not. Concurrent records share
    /// one fsync (group commit): a record waits for the first fsync that starts after its append, and one fsync
    /// covers every append made before it started. So the cost of durability is one fsync per group, not one per
    /// request under a lock, and <see cref="RecordAsync"/> still returns only once its line is on disk.
    /// </remarks>
    public ValueTask RecordAsync(RequestRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        record.CostUsd = _prices.Cost(record);
        var line = JsonSerializer.SerializeToUtf8Bytes(record, LedgerJsonContext.Default.RequestRecord);
        long sequence;
        lock (_gate)
        {
            var segment = _current ?? throw new InvalidOperationException("The usage ledger is not started.");
            segment.Append(line);
            sequence = ++_appended;
            if (_fsync)
            {
                _unsynced.Add(segment);
            }

            Interlocked.Increment(ref _enqueued);
            if (!_queue.Writer.TryWrite((record, segment)))
            {
                throw new InvalidOperationException("The usage ledger is stopped.");
            }

            if (segment.Length >= MaxSegmentBytes)
            {
                _sealed.Add(segment);
                _current = OutboxSegment.Create(_outboxDirectory);
            }
        }

        return _fsync ? WaitDurableAsync(sequence) : ValueTask.CompletedTask;
    }

    /// <summary>Waits until an fsync that started after append number <paramref name="sequence"/> has completed.</summary>
    private async ValueTask WaitDurableAsync(long sequence)
    {
        while (true)
        {
            Task sync;
            lock (_syncGate)
            {
                if (_durable >= sequence)
                {
                    return;
                }

                // One fsync at a time: a sync in progress may have started before this append, so wait for it and
                // then start (or join) the next one, which then covers every append made meanwhile.
                sync = _syncing ??= Task.Run(SyncOnce);
            }

            await sync;
        }
    }

    private void SyncOnce()
    {
        long target;
        OutboxSegment[] segments;
        lock (_gate)
        {
            target = _appended;
            segments = [.. _unsynced];
            _unsynced.Clear();
        }

        try
        {
            foreach (var segment in segments)
            {
                segment.Sync();
            }
        }
        catch
        {
            lock (_gate)
            {
                _unsynced.UnionWith(segments);
            }

            lock (_syncGate)
            {
                _syncing = null;
            }

            throw;
        }

        lock (_syncGate)
        {
            _durable = Math.Max(_durable, target);
            _syncing = null;
        }
    }

    /// <summary>Waits until every record recorded so far is in the database.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var target = Interlocked.Read(ref _enqueued);
        while (Interlocked.Read(ref _committed) < target)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>Flushes (up to <paramref name="timeout"/>), stops the writer and closes the outbox (kept if anything is left).</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await FlushAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                // Whatever is left stays in the outbox and is replayed on the next start.
            }
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_writer is not null)
        {
            await _writer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await _store.CloseWriterAsync();

        lock (_gate)
        {
            var done = Pending == 0;
            foreach (var segment in _sealed.Append(_current).OfType<OutboxSegment>())
            {
                segment.Close(delete: done);
            }

            _sealed.Clear();
            _current = null;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        _stopping.Dispose();
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(RequestRecord Record, OutboxSegment Segment)>(MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token))
            {
                await Task.Delay(BatchWindow, _stopping.Token);
                while (batch.Count < MaxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                var delay = TimeSpan.FromMilliseconds(50);
                while (true)
                {
                    try
                    {
                        await _store.InsertAsync([.. batch.Select(b => b.Record)], _stopping.Token);
                        break;
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        _onError?.Invoke(exception);
                        await Task.Delay(delay, _stopping.Token);
                        delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
                    }
                }

                Committed(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: uncommitted records stay in the outbox.
        }
    }

    private void Committed(List<(RequestRecord Record, OutboxSegment Segment)> batch)
    {
        lock (_gate)
        {
            foreach (var (_, segment) in batch)
            {
                segment.Outstanding--;
            }

            Interlocked.Add(ref _committed, batch.Count);
            _sealed.RemoveAll(segment =>
            {
                if (segment.Outstanding > 0)
                {
                    return false;
                }

                segment.Close(delete: true);
                return true;
            });
            if (_current is { Outstanding: 0, Length: >= TruncateAtBytes } current)
            {
                // Committed lines are harmless (replay is idempotent by request id), so the file is only cut back
                // once it has grown, not after every batch. Not fsync'ed: a crash that undoes it only means a
                // longer replay.
                current.Truncate();
            }
        }
    }

    private async Task<int> ReplayAsync(string path, CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            // A live process holds its outbox exclusively; only files of dead processes can be opened.
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return 0;
        }

        var records = new List<RequestRecord>();
        await using (stream)
        {
            using var text = new StreamReader(stream, Encoding.UTF8);
            while (await text.ReadLineAsync(cancellationToken) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                try
                {
                    if (JsonSerializer.Deserialize(line, LedgerJsonContext.Default.RequestRecord) is { } record)
                    {
                        records.Add(record);
                    }
                }
                catch (JsonException)
                {
                    // A line torn by the crash: its request never got its response's last bytes.
                }
            }

            for (var i = 0; i < records.Count; i += MaxBatch)
            {
                await _store.InsertAsync(records.GetRange(i, Math.Min(MaxBatch, records.Count - i)), cancellationToken);
            }

            File.Delete(path);
        }

        return records.Count;
    }
}
