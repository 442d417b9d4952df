using System.Text.Json;
using Switchyard.Errors;

namespace Switchyard.Lanes.Relay;

/// <summary>
/// The one writer of server-sent events to clients, for every lane: frames items with their
/// <see cref="IEventFormat{T}"/>, flushes after each batch (or, for relays reading with <see cref="NextAsync{T}"/>, once
/// the upstream has nothing more buffered), and writes the lane's ping frame whenever the stream has
/// been silent for the ping interval (checked by the shared <see cref="PingScheduler"/>), so that clients and proxies
/// keep the connection while the upstream thinks or queues the request.
/// </summary>
public sealed class ClientEventStream : IAsyncDisposable
{
    private readonly IClientResponse _response;
    private readonly ReadOnlyMemory<byte> _ping;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Utf8JsonWriter _json;
    private readonly long _pingIntervalMs;
    private readonly PingScheduler _pings;
    private readonly Lock _pingGate = new();
    private readonly Action? _onFirstContent;
    private CancellationTokenSource? _pingStop;
    private Task _pingTask = Task.CompletedTask;
    private long _lastWrite;
    private bool _contentPending = true;
    private bool _unflushed;
    private bool _disposed;

    /// <summary>Starts the event-stream response (status 200) and begins watching it for silence.</summary>
    /// <param name="response">The client's response.</param>
    /// <param name="ping">The frame written on silence (an Anthropic <c>ping</c> event, or an SSE comment).</param>
    /// <param name="pingInterval">How long the stream may be silent.</param>
    /// <param name="onFirstContent">Called once, when the first item that carries content is written.</param>
    public ClientEventStream(IClientResponse response, ReadOnlyMemory<byte> ping, TimeSpan pingInterval, Action? onFirstContent = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        _response = response;
        _ping = ping;
        _onFirstContent = onFirstContent;
        response.Start(200, "text/event-stream; charset=utf-8", stream: true);
        _json = new Utf8JsonWriter(response.Writer, new JsonWriterOptions { Encoder = JsonOutput.Encoder, SkipValidation = true });
        _pingIntervalMs = (long)pingInterval.TotalMilliseconds;
        _lastWrite = Environment.TickCount64;
        _pings = PingScheduler.For(pingInterval);
        _pings.Add(this);
    }

    /// <summary>Sends the status line and headers now, before any event (a client waiting in a queue sees the answer begin).</summary>
    public async ValueTask OpenAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await _response.Writer.FlushAsync(cancellationToken);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Writes <paramref name="items"/> in order, then flushes them to the client.</summary>
    public ValueTask WriteAsync<T>(IReadOnlyList<T> items, IEventFormat<T> format, CancellationToken cancellationToken) =>
        WriteAsync(items, format, flush: true, cancellationToken);

    /// <summary>
    /// Writes <paramref name="items"/> in order; flushes them to the client unless <paramref name="flush"/> is false, in
    /// which case the caller flushes before it waits (see <see cref="NextAsync{T}"/>).
    /// </summary>
    public async ValueTask WriteAsync<T>(IReadOnlyList<T> items, IEventFormat<T> format, bool flush, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(format);
        if (items.Count == 0)
        {
            return;
        }

        await _lock.WaitAsync(cancellationToken);
        try
        {
            foreach (var item in items)
            {
                if (_contentPending && format.IsContent(item))
                {
                    _contentPending = false;
                    _onFirstContent?.Invoke();
                }

                _json.Reset();
                format.Write(_response.Writer, _json, item);
            }

            if (flush)
            {
                await _response.Writer.FlushAsync(cancellationToken);
            }

            _unflushed = !flush;
            Volatile.Write(ref _lastWrite, Environment.TickCount64);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Flushes what was written without a flush, if anything.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            if (_unflushed)
            {
                _unflushed = false;
                await _response.Writer.FlushAsync(cancellationToken);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>
    /// Moves to the next upstream item, flushing what was written unflushed first when that item is not already there.
    /// Chunks that arrived together leave in one flush (one send to the client), and nothing written waits on the upstream.
    /// </summary>
    public async ValueTask<bool> NextAsync<T>(IAsyncEnumerator<T> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var next = items.MoveNextAsync();
        if (!next.IsCompleted)
        {
            try
            {
                await FlushAsync(cancellationToken);
            }
            catch
            {
                // The read in flight must end before the caller disposes the reader; the client is gone, and the
                // same token cancels that read.
                try
                {
                    await next;
                }
                catch (Exception exception) when (exception is OperationCanceledException or GatewayException)
                {
                }

                throw;
            }
        }

        return await next;
    }

    /// <summary>Writes bytes that are already framed (such as <c>data: [DONE]</c>), then flushes.</summary>
    public async ValueTask WriteRawAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            await _response.Writer.WriteAsync(frame, cancellationToken);
            _unflushed = false;
            Volatile.Write(ref _lastWrite, Environment.TickCount64);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Called by the ping scheduler: starts a ping when the stream has been silent for the interval.</summary>
    internal void PingIfIdle(long now)
    {
        if (now - Volatile.Read(ref _lastWrite) < _pingIntervalMs || !_pingTask.IsCompleted)
        {
            return;
        }

        lock (_pingGate)
        {
            if (_disposed || !_pingTask.IsCompleted)
            {
                return;
            }

            // Created on the first ping only: most streams never fall silent for a whole interval.
            _pingStop ??= CancellationTokenSource.CreateLinkedTokenSource(_response.Aborted);
            _pingTask = PingAsync(_pingStop.Token);
        }
    }

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteRawAsync(_ping, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The client went away; the relay notices through Aborted.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _pings.Remove(this);
        CancellationTokenSource? stop;
        Task ping;
        lock (_pingGate)
        {
            _disposed = true;
            stop = _pingStop;
            ping = _pingTask;
        }

        if (stop is not null)
        {
            await stop.CancelAsync();
        }

        await ping;
        stop?.Dispose();
        await _json.DisposeAsync();
        _lock.Dispose();
    }
}
