using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Switchyard.Anthropic;
using Switchyard.Gateway;

namespace Switchyard.Endpoints;

/// <summary>
/// Writes Messages stream events as server-sent events (<c>event:</c> line, one-line JSON <c>data:</c>),
/// flushing after each batch, and sends <c>ping</c> when the stream has been silent for the ping interval (checked by
/// the shared <see cref="SsePingScheduler"/>).
/// </summary>
internal sealed class SseEventSink : IStreamEventSink, IAsyncDisposable
{
    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "\ndata: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    private readonly HttpResponse _response;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Utf8JsonWriter _json;
    private readonly long _pingIntervalMs;
    private readonly CancellationToken _aborted;
    private readonly SsePingScheduler _pings;
    private readonly Lock _pingGate = new();
    private readonly Action? _onFirstDelta;
    private CancellationTokenSource? _pingStop;
    private Task _ping = Task.CompletedTask;
    private long _lastWrite;
    private bool _firstDeltaPending = true;
    private bool _disposed;

    public SseEventSink(HttpContext context, TimeSpan pingInterval, Action? onFirstDelta = null)
    {
        _onFirstDelta = onFirstDelta;
        _response = context.Response;
        _response.StatusCode = 200;
        _response.ContentType = "text/event-stream; charset=utf-8";
        _response.Headers.CacheControl = "no-cache";
        _response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        _json = new Utf8JsonWriter((IBufferWriter<byte>)_response.BodyWriter);
        _pingIntervalMs = (long)pingInterval.TotalMilliseconds;
        _lastWrite = Environment.TickCount64;
        _aborted = context.RequestAborted;
        _pings = SsePingScheduler.For(pingInterval);
        _pings.Add(this);
    }

    public async ValueTask WriteAsync(IReadOnlyList<StreamEvent> events, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken);
        try
        {
            foreach (var streamEvent in events)
            {
                if (_firstDeltaPending && streamEvent is ContentBlockDeltaEvent)
                {
                    _firstDeltaPending = false;
                    _onFirstDelta?.Invoke();
                }

                Write(streamEvent);
            }

            await _response.BodyWriter.FlushAsync(cancellationToken);
            _lastWrite = Environment.TickCount64;
        }
        finally
        {
            _lock.Release();
        }
    }

    private void Write(StreamEvent streamEvent)
    {
        var writer = _response.BodyWriter;
        writer.Write(EventPrefix);
        System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.UTF8, streamEvent.EventName.AsSpan(), writer);
        writer.Write(DataPrefix);
        _json.Reset();
        JsonSerializer.Serialize(_json, streamEvent, AnthropicJsonContext.Default.StreamEvent);
        writer.Write(EventEnd);
    }

    /// <summary>Called by the ping scheduler: starts a ping when the stream has been silent for the interval.</summary>
    internal void PingIfIdle(long now)
    {
        if (now - Interlocked.Read(ref _lastWrite) < _pingIntervalMs || !_ping.IsCompleted)
        {
            return;
        }

        lock (_pingGate)
        {
            if (_disposed || !_ping.IsCompleted)
            {
                return;
            }

            // Created on the first ping only: most streams never fall silent for a whole interval.
            _pingStop ??= CancellationTokenSource.CreateLinkedTokenSource(_aborted);
            _ping = PingAsync(_pingStop.Token);
        }
    }

    private async Task PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync([PingEvent.Instance], cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The client went away; the main loop notices through RequestAborted.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pings.Remove(this);
        CancellationTokenSource? stop;
        Task ping;
        lock (_pingGate)
        {
            _disposed = true;
            stop = _pingStop;
            ping = _ping;
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
