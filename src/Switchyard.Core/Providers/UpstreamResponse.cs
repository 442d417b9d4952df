using System.Buffers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Switchyard.Errors;

namespace Switchyard.Providers;

/// <summary>
/// An accepted upstream response, read the one way every lane reads: the whole body, a stream of server-sent events,
/// or a byte-for-byte copy. Any bytes count as liveness for the idle timer (DeepSeek's blank keep-alive lines before a
/// JSON body and <c>: keep-alive</c> comments in a stream included), so a request may wait in the upstream's queue as
/// long as the upstream keeps it alive; there is no cap on the whole read. Disposing it aborts the upstream request.
/// </summary>
public sealed class UpstreamResponse : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _idle;
    private readonly ProviderOptions _options;
    private readonly List<IDisposable> _attached = [];
    private ReadOnlyMemory<byte>? _body;
    private CancellationToken _drain;

    internal UpstreamResponse(HttpResponseMessage response, CancellationTokenSource idle, ProviderOptions options)
    {
        _response = response;
        _idle = idle;
        _options = options;
    }

    /// <summary>The upstream's settings (name, timeouts).</summary>
    public ProviderOptions Options => _options;

    /// <summary>The status (2xx).</summary>
    public int Status => (int)_response.StatusCode;

    /// <summary>The content type the upstream sent, if any.</summary>
    public string? ContentType => _response.Content.Headers.ContentType?.ToString();

    /// <summary>The response headers.</summary>
    public System.Net.Http.Headers.HttpResponseHeaders Headers => _response.Headers;

    /// <summary>
    /// Stops reading when <paramref name="drain"/> fires (the server's drain time ran out): the read then fails with
    /// <see cref="UpstreamErrors.Draining"/>, which the lane writes to its client as an error, not a silent cut.
    /// </summary>
    public void StopOn(CancellationToken drain) => _drain = drain;

    /// <summary>Disposes <paramref name="resource"/> (e.g. an endpoint lease) together with the response.</summary>
    public void Attach(IDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _attached.Add(resource);
    }

    /// <summary>Reads the whole body (for JSON answers), with leading whitespace (keep-alive lines) removed; read once, then kept.</summary>
    public async Task<ReadOnlyMemory<byte>> ReadBodyAsync(CancellationToken cancellationToken)
    {
        if (_body is { } read)
        {
            return read;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        await CopyToAsync((chunk, _) =>
        {
            buffer.Write(chunk.Span);
            return ValueTask.CompletedTask;
        }, cancellationToken);
        var body = buffer.WrittenMemory;
        var start = 0;
        while (start < body.Length && body.Span[start] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            start++;
        }

        _body = body[start..];
        return _body.Value;
    }

    /// <summary>
    /// Copies the body as it arrives (the one byte-copy primitive of passthrough lanes); <paramref name="write"/> gets each
    /// chunk, in a pooled buffer valid for the duration of the call.
    /// </summary>
    public async Task CopyToAsync(Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _idle.Token, _drain);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            await using (var body = await OpenBodyAsync(linked.Token, cancellationToken))
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, linked.Token);
                    }
                    catch (Exception exception) when (Failed(exception, cancellationToken) is { } failure)
                    {
                        throw failure;
                    }

                    if (read == 0)
                    {
                        return;
                    }

                    _idle.CancelAfter(_options.IdleTimeout);
                    await write(buffer.AsMemory(0, read), cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads the body as server-sent events, parsed by <paramref name="parse"/> (which may return null to skip an item,
    /// such as <c>[DONE]</c>). Comments and blank lines are skipped but reset the idle timer. Ends at the end of the body.
    /// </summary>
    public async IAsyncEnumerable<SseItem<T>> ReadEventsAsync<T>(SseItemParser<T> parse, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _idle.Token, _drain);
        var body = await OpenBodyAsync(linked.Token, cancellationToken);
        await using var observed = new ObservedReadStream(body, (_, _) => _idle.CancelAfter(_options.IdleTimeout));
        var parser = SseParser.Create(observed, parse);
        await using var items = parser.EnumerateAsync(linked.Token).GetAsyncEnumerator(linked.Token);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (Exception exception) when (Failed(exception, cancellationToken) is { } failure)
            {
                throw failure;
            }

            if (!more)
            {
                yield break;
            }

            yield return items.Current;
        }
    }

    /// <summary>Opens the body with the idle timer armed; a failure is the client's error (see <see cref="Failed"/>).</summary>
    private async Task<Stream> OpenBodyAsync(CancellationToken linked, CancellationToken clientToken)
    {
        try
        {
            _idle.CancelAfter(_options.IdleTimeout);
            return await _response.Content.ReadAsStreamAsync(linked);
        }
        catch (Exception exception) when (Failed(exception, clientToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>The client's error for a failure while reading (null: the client went away, let it propagate).</summary>
    private GatewayException? Failed(Exception exception, CancellationToken clientToken) => exception switch
    {
        _ when clientToken.IsCancellationRequested => null,
        GatewayException => null,
        OperationCanceledException when _drain.IsCancellationRequested => UpstreamErrors.Draining(_options.Name),
        OperationCanceledException => UpstreamErrors.Timeout(_options.Name, _options.IdleTimeout, "any data", accepted: true),
        JsonException => UpstreamErrors.Broken(_options.Name, "sent malformed data", exception),
        HttpRequestException or IOException => UpstreamErrors.Broken(_options.Name, $"cut the response: {exception.Message}", exception),
        _ => null,
    };

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _response.Dispose();
        _idle.Dispose();
        foreach (var resource in _attached)
        {
            resource.Dispose();
        }

        _attached.Clear();
        return ValueTask.CompletedTask;
    }
}
